import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';

interface DropZoneProps {
  class: string;
  enabled: boolean;
  onFiles: (files: File[]) => void;
  children: ComponentChildren;
}

/**
 * Files dragged over the chat: a "drop to send" overlay, and the files to
 * `onFiles` on drop. Only drags that carry files count (a dragged link or
 * text selection is left to the browser).
 */
export function DropZone({ class: className, enabled, onFiles, children }: DropZoneProps) {
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them to know when the pointer left.
  const depth = useRef(0);
  const carriesFiles = (event: DragEvent) => enabled && (event.dataTransfer?.types.includes('Files') ?? false);
  return (
    <div
      class={className}
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current++;
        setOver(true);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer!.dropEffect = 'copy';
      }}
      onDragLeave={(event) => {
        if (!carriesFiles(event)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current = 0;
        setOver(false);
        const files = [...(event.dataTransfer?.files ?? [])];
        if (files.length > 0) onFiles(files);
      }}
    >
      {children}
      {over && (
        <div class="drop-zone" aria-hidden="true">
          <span>Drop files here to send them</span>
        </div>
      )}
    </div>
  );
}
