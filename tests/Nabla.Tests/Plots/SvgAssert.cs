using System.Xml.Linq;
using Nabla.Plots;

namespace Nabla.Tests.Plots;

/// <summary>Parses SVG output as XML, so every chart test also checks well-formedness.</summary>
internal static class SvgAssert
{
    public static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    /// <summary>Renders <paramref name="figure"/> and parses it; throws if it is not well-formed XML.</summary>
    public static XDocument Parse(ISvgFigure figure)
    {
        var doc = XDocument.Parse(figure.ToSvg());
        Assert.Equal(Ns + "svg", doc.Root!.Name);
        Assert.Equal($"0 0 {figure.Width} {figure.Height}", (string?)doc.Root.Attribute("viewBox"));
        return doc;
    }

    /// <summary>The text content of every text element, in document order.</summary>
    public static List<string> Texts(XDocument doc) => [.. doc.Descendants(Ns + "text").Select(t => t.Value)];

    /// <summary>All elements named <paramref name="name"/>.</summary>
    public static List<XElement> All(XDocument doc, string name) => [.. doc.Descendants(Ns + name)];
}
