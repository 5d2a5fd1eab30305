import type { JSHandle, Page } from 'playwright-core';

/**
 * Helpers that run inside the page. The test project compiles without the
 * DOM library (it also type-checks Workers code), so the few page globals
 * used here are declared, module-local, with just the members they need.
 */
declare const document: {
  activeElement: { getAttribute(name: string): string | null } | null;
  querySelector(selector: string): { dispatchEvent(event: unknown): boolean } | null;
};
declare const DataTransfer: new () => { items: { add(file: File): void } };
declare const ClipboardEvent: new (type: string, init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean }) => unknown;
declare const OffscreenCanvas: new (
  width: number,
  height: number,
) => {
  getContext(kind: '2d'): { fillStyle: string; fillRect(x: number, y: number, w: number, h: number): void };
  convertToBlob(options: { type: string }): Promise<Blob>;
};

export interface PageFile {
  name: string;
  type: string;
  bytes: number[];
}

/** A real PNG, drawn by the page's own canvas (so it decodes like any photo a person picks). */
export async function pngBytes(page: Page, width: number, height: number, colour: string): Promise<Buffer> {
  const bytes = await page.evaluate(
    async ({ width, height, colour }) => {
      const canvas = new OffscreenCanvas(width, height);
      const g = canvas.getContext('2d');
      g.fillStyle = colour;
      g.fillRect(0, 0, width, height);
      g.fillStyle = '#ffffff';
      g.fillRect(width / 4, height / 4, width / 2, height / 2);
      return [...new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer())];
    },
    { width, height, colour },
  );
  return Buffer.from(bytes);
}

/** A DataTransfer holding files, as a drag from the desktop carries them. */
export function dataTransferOf(page: Page, files: PageFile[]): Promise<JSHandle> {
  return page.evaluateHandle((files) => {
    const data = new DataTransfer();
    for (const f of files) data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return data;
  }, files);
}

/** Pastes files into the element matching `selector`, as Ctrl+V with a copied image does. */
export async function pasteFiles(page: Page, selector: string, files: PageFile[]): Promise<void> {
  await page.evaluate(
    ({ selector, files }) => {
      const data = new DataTransfer();
      for (const f of files) data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
      document.querySelector(selector)!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { selector, files },
  );
}

/** The accessible label of the focused element. */
export function focusedLabel(page: Page): Promise<string | null | undefined> {
  return page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
}
