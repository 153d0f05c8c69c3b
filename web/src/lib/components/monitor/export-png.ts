/**
 * The chart as a PNG of a fixed size (the spec's 2000×1200): the SVG is cloned with its computed
 * colours inlined (CSS variables do not survive serialization), drawn onto a canvas with a title and
 * legend, and encoded. Works in both themes: the page's own surface colour is the background.
 */
export async function exportPng(svg: SVGSVGElement, options: { width: number; height: number; title: string; legend: [label: string, colour: string, dashed: boolean][] }): Promise<Blob> {
  const { width, height } = options;
  const box = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const source = svg.querySelectorAll('*');
  const target = clone.querySelectorAll('*');
  source.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const t = target[i] as SVGElement;
    for (const prop of ['stroke', 'stroke-width', 'stroke-dasharray', 'fill', 'opacity', 'font-size', 'font-family', 'font-weight', 'text-anchor', 'dominant-baseline'] as const) {
      const v = cs.getPropertyValue(prop);
      if (v) t.style.setProperty(prop, v);
    }
  });
  const header = 110;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('viewBox', `0 0 ${box.width} ${box.height}`);
  clone.setAttribute('width', String(width - 80));
  clone.setAttribute('height', String(height - header - 40));
  clone.setAttribute('preserveAspectRatio', 'none');
  // A data: URL, not a blob: one: the server's Content-Security-Policy allows images from 'self' and
  // data: only (a blob: image was blocked and the export failed with "cannot be decoded").
  const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(clone))}`;
  const img = new Image();
  img.src = url;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d')!;
  const root = getComputedStyle(document.documentElement);
  const probe = (name: string) => {
    const el = document.createElement('span');
    el.style.color = `var(${name})`;
    document.body.append(el);
    const colour = getComputedStyle(el).color;
    el.remove();
    return colour;
  };
  ctx.fillStyle = probe('--color-surface');
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = probe('--color-text');
  ctx.font = `600 40px ${root.getPropertyValue('--font-sans') || 'sans-serif'}`;
  ctx.fillText(options.title, 40, 64);
  let x = 40;
  ctx.font = `400 26px ${root.getPropertyValue('--font-sans') || 'sans-serif'}`;
  for (const [label, colour, dashed] of options.legend) {
    ctx.strokeStyle = probe(colour.replace(/^var\((.*)\)$/, '$1'));
    ctx.lineWidth = 5;
    ctx.setLineDash(dashed ? [14, 8] : []);
    ctx.beginPath();
    ctx.moveTo(x, 92);
    ctx.lineTo(x + 44, 92);
    ctx.stroke();
    ctx.fillStyle = probe('--color-text');
    ctx.fillText(label, x + 56, 101);
    x += 56 + ctx.measureText(label).width + 48;
  }
  ctx.drawImage(img, 40, header, width - 80, height - header - 40);
  return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
}
