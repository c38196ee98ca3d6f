using System.Globalization;
using System.Net;
using System.Text;
using Nabla.IO;

namespace Nabla.Plots;

/// <summary>
/// One self-contained HTML page for a training run: a title, a settings table, a final-metrics
/// table, then sections of figures (inline SVG, numbered, with captions), tables and notes. It has
/// no scripts and fetches nothing, so it opens offline and prints cleanly. Every string is
/// HTML-escaped. Content goes into the section most recently started with <see cref="AddSection"/>.
/// </summary>
/// <example><code>
/// new HtmlReport("gaussians: 2-2-2 tanh, lr 0.1")
///     .AddSetting("learning rate", "0.1").AddMetric("test accuracy", 0.9791)
///     .AddSection("Training").AddFigure(lossChart, "Loss per iteration.")
///     .AddText("The loss falls quickly for the first 200 iterations.")
///     .Save("out/report.html");
/// </code></example>
public sealed class HtmlReport
{
    private readonly List<(string Key, string Value)> settings = [];
    private readonly List<(string Name, string Value)> metrics = [];
    private readonly List<(string Heading, StringBuilder Body)> sections = [];
    private int figureCount;

    /// <summary>Creates an empty report with the page title <paramref name="title"/>.</summary>
    public HtmlReport(string title)
    {
        Title = title;
    }

    /// <summary>Page title and main heading.</summary>
    public string Title { get; }

    /// <summary>A line under the title, e.g. the command that produced the run; null for none.</summary>
    public string? Subtitle { get; set; }

    /// <summary>Adds a row to the settings table (learning rate, epochs, architecture, seed…).</summary>
    public HtmlReport AddSetting(string key, string value)
    {
        settings.Add((key, value));
        return this;
    }

    /// <summary>Adds a row to the final-metrics table.</summary>
    public HtmlReport AddMetric(string name, string value)
    {
        metrics.Add((name, value));
        return this;
    }

    /// <summary>Adds a row to the final-metrics table, written with up to five significant digits.</summary>
    public HtmlReport AddMetric(string name, double value) => AddMetric(name, value.ToString("G5", CultureInfo.InvariantCulture));

    /// <summary>Starts a section headed <paramref name="heading"/>; later figures, tables and text go into it.</summary>
    public HtmlReport AddSection(string heading)
    {
        sections.Add((heading, new StringBuilder()));
        return this;
    }

    /// <summary>Adds a numbered figure with a caption to the current section.</summary>
    public HtmlReport AddFigure(ISvgFigure figure, string caption)
    {
        figureCount++;
        Current.Append("<figure>\n<div class=\"svg\">").Append(figure.ToSvg()).Append("</div>\n<figcaption><b>Figure ")
            .Append(figureCount).Append(".</b> ").Append(Html(caption)).Append("</figcaption>\n</figure>\n");
        return this;
    }

    /// <summary>Adds free text to the current section; blank lines separate paragraphs.</summary>
    public HtmlReport AddText(string text)
    {
        foreach (string paragraph in text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Current.Append("<p>").Append(Html(paragraph)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds a table (e.g. a hyper-parameter sweep) with a caption to the current section.</summary>
    public HtmlReport AddTable(string caption, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var body = Current.Append("<table class=\"data\">\n<caption>").Append(Html(caption)).Append("</caption>\n<thead><tr>");
        foreach (string h in header)
            body.Append("<th>").Append(Html(h)).Append("</th>");
        body.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            if (row.Count != header.Count)
                throw new ArgumentException($"Table '{caption}': expected {header.Count} cells per row like the header; received {row.Count}.", nameof(rows));
            body.Append("<tr>");
            foreach (string cell in row)
                body.Append("<td>").Append(Html(cell)).Append("</td>");
            body.Append("</tr>\n");
        }
        body.Append("</tbody>\n</table>\n");
        return this;
    }

    /// <summary>The complete HTML document.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Html(Title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n<header>\n<h1>")
            .Append(Html(Title)).Append("</h1>\n");
        if (!string.IsNullOrEmpty(Subtitle))
            html.Append("<p class=\"subtitle\">").Append(Html(Subtitle)).Append("</p>\n");
        html.Append("</header>\n");
        if (settings.Count > 0 || metrics.Count > 0)
        {
            html.Append("<div class=\"summary\">\n");
            KeyValueTable(html, "Settings", settings);
            KeyValueTable(html, "Final metrics", metrics);
            html.Append("</div>\n");
        }
        foreach (var (heading, body) in sections)
        {
            html.Append("<section>\n");
            if (heading.Length > 0)
                html.Append("<h2>").Append(Html(heading)).Append("</h2>\n");
            html.Append(body).Append("</section>\n");
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes the report to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    public void Save(string path) => AtomicFile.WriteText(path, ToHtml());

    /// <summary>The section content goes into; content before any <see cref="AddSection"/> goes into an untitled one.</summary>
    private StringBuilder Current
    {
        get
        {
            if (sections.Count == 0)
                sections.Add(("", new StringBuilder()));
            return sections[^1].Body;
        }
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);

    private static void KeyValueTable(StringBuilder html, string caption, List<(string Key, string Value)> rows)
    {
        if (rows.Count == 0)
            return;
        html.Append("<table class=\"kv\">\n<caption>").Append(caption).Append("</caption>\n<tbody>\n");
        foreach (var (key, value) in rows)
            html.Append("<tr><th scope=\"row\">").Append(Html(key)).Append("</th><td>").Append(Html(value)).Append("</td></tr>\n");
        html.Append("</tbody>\n</table>\n");
    }

    private const string Css = """
        :root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --rule: #d8dee4; --band: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #fff; color: var(--ink);
               font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
        main { max-width: 1180px; margin: 0 auto; padding: 32px 28px 64px; }
        header { border-bottom: 2px solid var(--ink); margin-bottom: 24px; }
        h1 { font-size: 1.75rem; margin: 0 0 6px; }
        .subtitle { color: var(--muted); margin: 0 0 12px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.9rem; }
        h2 { font-size: 1.3rem; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
        p { max-width: 72ch; }
        .summary { display: flex; flex-wrap: wrap; gap: 24px 48px; align-items: flex-start; }
        table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding-bottom: 6px; }
        th, td { padding: 5px 14px 5px 0; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        table.kv th { font-weight: 500; color: var(--muted); }
        table.data { margin: 16px 0 24px; }
        table.data th { background: var(--band); padding-left: 8px; }
        table.data td { padding-left: 8px; }
        figure { margin: 20px 0 32px; }
        figure .svg { overflow-x: auto; }
        figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
        figcaption { color: var(--muted); font-size: 0.92rem; margin-top: 8px; max-width: 90ch; margin-left: auto; margin-right: auto; text-align: center; }
        @media print {
          main { max-width: none; padding: 0; }
          figure, table { break-inside: avoid; }
          h2 { break-after: avoid; }
        }

        """;
}
