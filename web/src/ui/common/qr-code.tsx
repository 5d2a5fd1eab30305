import { useEffect, useState } from 'preact/hooks';

type Drawn = { value: string; path: string; modules: number };

/** One SVG path of unit squares for the dark modules, with the standard 4-module quiet zone. */
async function draw(value: string): Promise<Drawn> {
  // Loaded on first use: only the QR login screen draws codes.
  const { encode } = await import('uqr');
  const qr = encode(value, { ecc: 'M', border: 4 });
  let path = '';
  qr.data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    }),
  );
  return { value, path, modules: qr.size };
}

/**
 * A QR code as SVG elements (uqr computes the modules; no HTML strings, so
 * the CSP's trusted types stay closed). Empty until the encoder has loaded.
 */
export function QrCode({ value, label, size = 220 }: { value: string; label: string; size?: number }) {
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  useEffect(() => {
    let current = true;
    void draw(value).then((d) => current && setDrawn(d));
    return () => void (current = false);
  }, [value]);
  const modules = drawn?.value === value ? drawn.modules : 1;
  return (
    <svg class="qr-code" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${modules} ${modules}`} shape-rendering="crispEdges">
      <rect width={modules} height={modules} fill="#fff" />
      {drawn?.value === value && <path d={drawn.path} fill="#000" />}
    </svg>
  );
}
