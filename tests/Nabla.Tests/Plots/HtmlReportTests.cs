using System.Text.RegularExpressions;
using System.Xml.Linq;
using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class HtmlReportTests
{
    [Fact]
    public void Report_contains_every_section_table_and_figure()
    {
        string html = SampleFigures.Report().ToHtml();

        foreach (string heading in (string[])["<h2>Data</h2>", "<h2>Training</h2>", "<h2>Decision boundaries</h2>", "<h2>Image data</h2>"])
            Assert.Contains(heading, html);
        Assert.Contains("<caption>Settings</caption>", html);
        Assert.Contains("<caption>Final metrics</caption>", html);
        Assert.Contains("<td>0.9791</td>", html);
        Assert.Contains("Hidden-size sweep (tanh)", html);
        for (int i = 1; i <= 9; i++)
            Assert.Contains($"<b>Figure {i}.</b>", html);
        Assert.Equal(9, Regex.Count(html, "<svg "));
    }

    [Fact]
    public void Report_is_self_contained()
    {
        string html = SampleFigures.Report().ToHtml();

        Assert.DoesNotMatch(new Regex(@"\b(src|href)\s*=\s*[""']?\s*(https?:|//)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Every_inline_svg_is_well_formed_xml()
    {
        string html = SampleFigures.Report().ToHtml();

        foreach (Match m in Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline))
            Assert.Equal(SvgAssert.Ns + "svg", XDocument.Parse(m.Value).Root!.Name);
    }

    [Fact]
    public void All_user_text_is_escaped()
    {
        string html = new HtmlReport("a <b> & c")
            { Subtitle = "<i>cmd</i>" }
            .AddSetting("<k>", "<v>").AddMetric("m&m", "<1>")
            .AddSection("<h>").AddText("<script>alert(1)</script>")
            .AddFigure(new LineChart().Add("x", [1.0]), "<cap>")
            .AddTable("<t>", ["<c>"], [["<d>"]])
            .ToHtml();

        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>", html.Replace("<b>Figure", ""));
        foreach (string escaped in (string[])["a &lt;b&gt; &amp; c", "&lt;i&gt;cmd&lt;/i&gt;", "&lt;k&gt;", "&lt;v&gt;", "m&amp;m", "&lt;h&gt;", "&lt;cap&gt;", "&lt;t&gt;", "&lt;c&gt;", "&lt;d&gt;"])
            Assert.Contains(escaped, html);
    }

    [Fact]
    public void Save_writes_atomically_and_replaces_an_old_report()
    {
        string dir = Directory.CreateTempSubdirectory("nabla-report-").FullName;
        try
        {
            string path = Path.Combine(dir, "sub", "report.html");
            new HtmlReport("first").Save(path);
            new HtmlReport("second").Save(path);

            Assert.Contains("<h1>second</h1>", File.ReadAllText(path));
            Assert.Equal(["report.html"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_table_row_of_the_wrong_width_names_the_table()
    {
        var e = Assert.Throws<ArgumentException>(() => new HtmlReport("r").AddTable("sweep", ["a", "b"], [["1"]]));

        Assert.Contains("sweep", e.Message);
    }
}
