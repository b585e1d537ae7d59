/// The status page's stylesheet and script, embedded in the binary and inlined in the one
/// HTML document (no CDN, no font, no framework). The Content-Security-Policy allows exactly
/// these two by their SHA-256, so nothing else can run or style the page.
public enum StatusPageAssets {
    public static let style = """
    :root{color-scheme:light dark;--bg:#f7f7f5;--fg:#1d1f21;--muted:#5f6368;--card:#fff;--line:#d9d9d6;
    --ok:#1a7f37;--warn:#9a6700;--fail:#c62828;--none:#c8c8c4;--focus:#0b57d0;
    font:15px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    @media (prefers-color-scheme:dark){:root{--bg:#131416;--fg:#e8eaed;--muted:#a0a4a8;--card:#1d1f22;--line:#34373b;
    --ok:#4ac26b;--warn:#d29922;--fail:#ff6b6b;--none:#4a4d52;--focus:#8ab4f8}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg)}
    a{color:inherit}
    :focus-visible{outline:3px solid var(--focus);outline-offset:2px}
    .skip{position:absolute;left:-999px;top:0}.skip:focus{left:8px;top:8px;background:var(--card);padding:6px 10px;z-index:2}
    header,main,footer{max-width:1180px;margin:0 auto;padding:12px 16px}
    header{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 16px;padding-bottom:0}
    h1{font-size:1.2rem;margin:0}h2{font-size:1.05rem;margin:22px 0 8px}h3{font-size:.95rem;margin:0 0 6px}
    #overall{flex-basis:100%}#overall ul{margin:4px 0 0;padding-left:20px;font-size:.9rem}
    .pair{display:grid;grid-template-columns:minmax(0,1fr);gap:0 20px}
    @media (min-width:1100px){.pair{grid-template-columns:minmax(0,5fr) minmax(0,7fr)}}
    .overall{margin:0;font-weight:600}.overall.ok{color:var(--ok)}.overall.bad{color:var(--fail)}
    .muted,.when{color:var(--muted);font-size:.86rem}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:12px}
    .card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
    dl{display:grid;grid-template-columns:max-content 1fr;gap:3px 12px;margin:0}dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
    table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px}
    th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
    th{font-size:.8rem;color:var(--muted);font-weight:600}
    tbody th{font-size:inherit;color:inherit;font-weight:600}
    tr.group th{font-size:.85rem;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;padding-top:10px}
    .pair>section{min-width:0}td{overflow-wrap:break-word}td.cause{overflow-wrap:anywhere}
    .s-ok{color:var(--ok)}.s-warn{color:var(--warn)}.s-fail{color:var(--fail)}.s-pending{color:var(--muted)}
    .state{font-weight:600;white-space:nowrap}
    .bar,.days{display:inline-flex;gap:1px;align-items:flex-end;height:18px;vertical-align:middle}
    .bar i,.days i{display:inline-block;width:3px;height:16px;border-radius:1px;background:var(--none)}
    .days{flex-wrap:wrap;height:auto;max-width:300px}.days i{width:5px;height:12px}
    .bar i.ok,.days i.d4{background:var(--ok)}.bar i.warn,.days i.d3{background:var(--warn)}.bar i.fail,.days i.d1{background:var(--fail)}
    .days i.d2{background:color-mix(in srgb,var(--warn) 60%,var(--fail))}
    .spark{width:96px;height:20px;vertical-align:middle}.spark polyline{fill:none;stroke:var(--focus);stroke-width:1.5}
    .num{font-variant-numeric:tabular-nums;white-space:nowrap}
    ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:6px 0;border-bottom:1px solid var(--line)}
    pre{white-space:pre-wrap;margin:4px 0 0;font-size:.82rem}
    footer{color:var(--muted);font-size:.8rem}
    html[data-stale] .overall::after{content:" · not refreshed: moor watch did not answer";color:var(--warn)}
    @media (max-width:640px){
      dl{grid-template-columns:minmax(0,1fr)}dt{margin-top:4px}
      table.stack thead{position:absolute;left:-999px}
      table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
      table.stack tr{border-bottom:2px solid var(--line);padding:4px 0}
      table.stack td{border:0;padding:3px 8px}
      table.stack td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:.8rem}
      .days{max-width:100%}
    }
    """

    /// Refreshes the page in place every `data-refresh-ms` while the tab is visible; the page
    /// is complete without it.
    public static let script = """
    (function () {
      var timer = null;
      function every() {
        var main = document.getElementById("main");
        return (main && parseInt(main.getAttribute("data-refresh-ms"), 10)) || 60000;
      }
      function schedule() {
        clearTimeout(timer);
        if (!document.hidden) timer = setTimeout(refresh, every());
      }
      function refresh() {
        fetch(location.pathname, {cache: "no-store", headers: {"Accept": "text/html"}})
          .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.text(); })
          .then(function (html) {
            var fresh = new DOMParser().parseFromString(html, "text/html");
            ["overall", "main"].forEach(function (id) {
              var next = fresh.getElementById(id), old = document.getElementById(id);
              if (next && old) old.replaceWith(document.importNode(next, true));
            });
            var root = document.documentElement;
            root.removeAttribute("data-stale");
            root.setAttribute("data-refreshed", String((parseInt(root.getAttribute("data-refreshed"), 10) || 0) + 1));
          })
          .catch(function () { document.documentElement.setAttribute("data-stale", ""); })
          .then(schedule);
      }
      document.addEventListener("visibilitychange", function () {
        if (document.hidden) clearTimeout(timer); else refresh();
      });
      schedule();
    })();
    """
}
