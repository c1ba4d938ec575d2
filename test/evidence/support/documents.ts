// Real evidence documents for tests: a text-layer invoice PDF drawn with pdfkit, the same page
// scanned to an image-only PDF (rendered by pdftoppm, embedded as a picture), and CSVs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PDFDocument from 'pdfkit';

export interface InvoiceLine {
  readonly sku: string;
  readonly description: string;
  readonly qty: string;
  readonly price: string;
}

function render(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 40 });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

/** A supplier invoice as suppliers' systems print them: header block, then an item table. */
export function invoicePdf(o: { number: string; date: string; supplier: string; currency?: string; lines: readonly InvoiceLine[]; title?: string }): Promise<Buffer> {
  return render((doc) => {
    doc.fontSize(18).text(o.title ?? 'INVOICE', 40, 40);
    doc.fontSize(10);
    doc.text(`Invoice number: ${o.number}`, 40, 80);
    doc.text(`Invoice date: ${o.date}`, 40, 95);
    doc.text(`Supplier: ${o.supplier}`, 40, 110);
    if (o.currency) doc.text(`Currency: ${o.currency}`, 40, 125);
    const cols = [40, 140, 330, 390, 470];
    let y = 160;
    ['SKU', 'Description', 'Qty', 'Unit price', 'Total'].forEach((h, i) => doc.text(h, cols[i], y));
    for (const l of o.lines) {
      y += 18;
      const total = /^\d+$/.test(l.qty) && /^\d+(\.\d+)?$/.test(l.price) ? (Number(l.qty) * Number(l.price)).toFixed(2) : '';
      [l.sku, l.description, l.qty, l.price, total].forEach((v, i) => doc.text(v, cols[i], y));
    }
    doc.text('Total', 390, y + 30);
  });
}

export function deliveryNotePdf(o: { shipmentId: string; tracking: string; date: string }): Promise<Buffer> {
  return render((doc) => {
    doc.fontSize(18).text('Proof of delivery', 40, 40);
    doc.fontSize(10).text(`Carrier: UPS Freight`, 40, 80).text(`Tracking number: ${o.tracking}`, 40, 95);
    doc.text(`Delivered to Amazon fulfilment centre for shipment ${o.shipmentId}`, 40, 110).text(`Delivery date: ${o.date}`, 40, 125);
  });
}

/** The PDF printed, scanned and saved as a PDF again: pictures only, no text layer. */
export async function scannedPdf(pdf: Buffer): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'clario-scan-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-png', '-r', '40', '-singlefile', join(dir, 'in.pdf'), join(dir, 'page')]);
    const png = readFileSync(join(dir, 'page.png'));
    return await render((doc) => doc.image(png, 0, 0, { width: 595 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The attack's PDF: one page holding `items` tiny text items on one baseline (20,000 make ~61 KB).
 * Reading it once cost the service minutes of its event loop.
 */
export function hostilePdf(items: number): Promise<Buffer> {
  return render((doc) => {
    doc.fontSize(1);
    for (let i = 0; i < items; i++) doc.text(String(i % 10), 20 + (i % 500), 400, { lineBreak: false });
  });
}

/** A real photo, as pdftoppm renders a drawn page: A4 at `dpi` (8: 67×94 pixels). */
export async function photo(type: 'jpeg' | 'png', dpi = 20): Promise<Buffer> {
  const pdf = await render((doc) => {
    doc.rect(100, 300, 400, 40).stroke();
    doc.fontSize(24).text('0 cm    10 cm    20 cm', 110, 310);
  });
  const dir = mkdtempSync(join(tmpdir(), 'clario-photo-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    execFileSync('pdftoppm', [`-${type}`, '-r', String(dpi), '-singlefile', join(dir, 'in.pdf'), join(dir, 'photo')]);
    return readFileSync(join(dir, type === 'jpeg' ? 'photo.jpg' : 'photo.png'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
