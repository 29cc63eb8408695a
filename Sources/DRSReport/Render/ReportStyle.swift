/// The report's stylesheet, inlined so `report.html` is one self-contained file: A4 pages, one
/// chapter per page, tables and charts never split, black and grey that survive a greyscale printer.
enum ReportStyle {
    static let css = """
    @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
    * { box-sizing: border-box; }
    body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", serif; color: #111; margin: 0 auto; max-width: 190mm; line-height: 1.7; font-size: 11pt; }
    h1, h2, h3, figcaption, caption, th { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
    .cover { min-height: 250mm; display: flex; flex-direction: column; justify-content: center; text-align: center; page-break-after: always; }
    .cover h1 { font-size: 30pt; letter-spacing: 0.12em; margin: 0 0 4mm; }
    .cover .subtitle { font-size: 18pt; letter-spacing: 0.1em; }
    .cover hr { width: 60%; border: 0; border-top: 2px solid #111; margin: 12mm auto; }
    .cover .issuer { font-size: 14pt; }
    .cover .mark { font-size: 20pt; border: 3px solid #111; display: inline-block; padding: 2mm 8mm; margin: 10mm auto; letter-spacing: 0.3em; }
    .cover .edition { color: #444; font-size: 10pt; margin-top: 8mm; }
    nav.toc { page-break-after: always; }
    nav.toc ol { list-style: none; padding: 0; }
    nav.toc a { color: #111; text-decoration: none; }
    section.chapter { page-break-before: always; }
    h2 { font-size: 17pt; border-bottom: 2px solid #111; padding-bottom: 2mm; }
    p { text-indent: 2em; margin: 0 0 3mm; text-align: justify; }
    figure { margin: 5mm 0; page-break-inside: avoid; break-inside: avoid; text-align: center; }
    figure svg { max-width: 100%; height: auto; }
    figcaption, caption { font-weight: bold; font-size: 10.5pt; margin: 2mm 0; text-align: center; }
    table { border-collapse: collapse; width: 100%; font-size: 9pt; page-break-inside: avoid; break-inside: avoid; margin: 2mm 0 1mm; }
    thead { display: table-header-group; }
    th, td { border: 0.6pt solid #444; padding: 1mm 2mm; }
    th { background: #e6e6e6; font-weight: bold; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    tr.total td { font-weight: bold; border-top: 1.2pt solid #111; }
    .notes { font-size: 8.5pt; color: #333; margin: 0 0 5mm; }
    .notes p { text-indent: 0; margin: 0; }
    .draft-banner { position: fixed; top: 0; left: 0; right: 0; text-align: center; font-weight: bold; background: #fff; border-bottom: 1px solid #111; }
    @media screen { body { padding: 0 6mm 20mm; } section.chapter { margin-top: 14mm; } }
    """
}
