import QRCode from 'qrcode';
import { useMemo } from 'react';

/**
 * A QR code drawn as inline SVG (one path of dark modules), made in the browser by the
 * `qrcode` library: nothing is fetched and no inline script or style is needed, so the
 * Content-Security-Policy stays as it is. `label` is its text alternative.
 */
export function QrCode({ value, label, size = 200 }: { value: string; label: string; size?: number }) {
  const { d, n } = useMemo(() => {
    const qr = QRCode.create(value, { errorCorrectionLevel: 'M' });
    const count = qr.modules.size;
    const parts: string[] = [];
    for (let y = 0; y < count; y++) {
      for (let x = 0; x < count; x++) if (qr.modules.get(y, x)) parts.push(`M${x} ${y}h1v1h-1z`);
    }
    return { d: parts.join(''), n: count };
  }, [value]);
  const quiet = 4;
  const box = n + quiet * 2;
  return (
    <svg className="beacon-qr" role="img" aria-label={label} width={size} height={size} viewBox={`${-quiet} ${-quiet} ${box} ${box}`} shapeRendering="crispEdges" data-testid="totp-qr">
      <rect x={-quiet} y={-quiet} width={box} height={box} fill="#ffffff" />
      <path d={d} fill="#000000" />
    </svg>
  );
}
