using Nabla.Data;
using Nabla.Tests.Text;

namespace Nabla.Tests.Data;

public sealed class CsvLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void LoadsTheRealIris()
    {
        var d = CsvLoader.Load<float>(System.IO.Path.Combine(SharedRoot(), "data", "iris.csv"));
        Assert.Equal(150, d.Count);
        Assert.Equal(4, d.FeatureCount);
        Assert.Equal(["setosa", "versicolor", "virginica"], d.ClassNames);
        Assert.Equal(["sepal_length", "sepal_width", "petal_length", "petal_width"], d.FeatureNames);
        Assert.All(new[] { 0, 1, 2 }, k => Assert.Equal(50, d.Labels!.Count(l => l == k)));
        Assert.Equal(5.1f, d.Features[0, 0]);
        Assert.Equal(1f, d.Targets[0, 0]);
    }

    [Fact]
    public void EmbeddedIrisEqualsTheSharedFile()
    {
        var embedded = new DatasetCatalog().Load<double>("iris");
        var file = CsvLoader.Load<double>(System.IO.Path.Combine(SharedRoot(), "data", "iris.csv"));
        Assert.Equal(file.Features.Span.ToArray(), embedded.Features.Span.ToArray());
        Assert.Equal(file.Labels, embedded.Labels);
        Assert.Equal("iris", embedded.Name);
    }

    [Fact]
    public void LabelColumnByNameAndQuotedFields()
    {
        string path = _dir.Write("q.csv", "kind,\"a, b\",c\r\n\"x \"\"y\"\"\",1,2\nz,3,4\n\n");
        var d = CsvLoader.Load<double>(path, new CsvOptions { Label = "kind" });
        Assert.Equal(["a, b", "c"], d.FeatureNames);
        Assert.Equal(["x \"y\"", "z"], d.ClassNames);
        Assert.Equal([1.0, 2, 3, 4], d.Features.Span.ToArray());
    }

    [Fact]
    public void IntegerLabelsSortNumerically()
    {
        string path = _dir.Write("n.csv", "a,y\n1,10\n2,2\n3,1\n");
        Assert.Equal(["1", "2", "10"], CsvLoader.Load<float>(path).ClassNames);
    }

    [Fact]
    public void RegressionTarget()
    {
        string path = _dir.Write("r.csv", "x,y\n1,2.5\n2,4.5\n");
        var d = CsvLoader.Load<double>(path, new CsvOptions { Regression = true });
        Assert.False(d.IsClassification);
        Assert.Equal([2.5, 4.5], d.Targets.Span.ToArray());
    }

    [Fact]
    public void MapsLabelsOntoAModelsClasses()
    {
        string path = _dir.Write("m.csv", "x,y\n1,b\n2,b\n");
        var d = CsvLoader.Load<float>(path, new CsvOptions { ClassNames = ["a", "b", "c"] });
        Assert.Equal([1, 1], d.Labels!);
        Assert.Equal(3, d.TargetCount);
    }

    [Fact]
    public void FeaturesOnlyWithAndWithoutHeader()
    {
        var withHeader = CsvLoader.LoadFeatures<float>(_dir.Write("h.csv", "a,b\n1,2\n3,4\n"), 2);
        var without = CsvLoader.LoadFeatures<float>(_dir.Write("n.csv", "1,2\n3,4\n"), 2);
        Assert.Equal([1f, 2, 3, 4], withHeader.Span.ToArray());
        Assert.Equal([1f, 2, 3, 4], without.Span.ToArray());
    }

    // Every bad input: the error is a NablaInputException naming the file, and the line/column.
    public static TheoryData<string, string, string[]> BadLabelled => new()
    {
        { "empty.csv", "", ["empty"] },
        { "blank.csv", "\n  \n", ["empty"] },
        { "ragged.csv", "a,b,y\n1,2,x\n1,2\n", ["line 3", "expected 3 fields", "received 2"] },
        { "text.csv", "a,b,y\n1,2,x\n1,abc,y\n", ["line 3", "column 2 ('b')", "expected a number", "'abc'"] },
        { "emptyfield.csv", "a,b,y\n1,,x\n2,3,y\n", ["line 2", "column 2", "empty field"] },
        { "nan.csv", "a,b,y\n1,NaN,x\n2,3,y\n", ["line 2", "column 2", "finite", "'NaN'"] },
        { "inf.csv", "a,b,y\n1,2,x\n-Infinity,3,y\n", ["line 3", "column 1", "finite"] },
        { "overflow.csv", "a,b,y\n1,1e39,x\n2,3,y\n", ["line 2", "column 2", "range of Single"] },
        { "norows.csv", "a,b,y\n", ["header", "no data rows"] },
        { "single.csv", "a,b,y\n1,2,x\n3,4,x\n", ["'y'", "single class", "'x'"] },
        { "onlylabel.csv", "y\nx\nz\n", ["line 1", "feature column"] },
        { "quote.csv", "a,b,y\n1,\"2,x\n", ["line 2", "never closed"] },
    };

    [Theory]
    [MemberData(nameof(BadLabelled))]
    public void BadLabelledFilesNameFileAndPlace(string name, string text, string[] fragments)
    {
        string path = _dir.Write(name, text);
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(path));
        AssertNames(e, path, fragments);
    }

    [Fact]
    public void MissingFile()
    {
        string path = System.IO.Path.Combine(_dir.Path, "nope.csv");
        AssertNames(Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(path)), path, ["not found"]);
    }

    [Fact]
    public void LabelColumnThatDoesNotExist()
    {
        string path = _dir.Write("l.csv", "a,b,y\n1,2,x\n");
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(path, new CsvOptions { Label = "species" }));
        AssertNames(e, path, ["line 1", "'species'", "'a', 'b', 'y'"]);
    }

    [Fact]
    public void ClassTheModelNeverSaw()
    {
        string path = _dir.Write("c.csv", "a,y\n1,cat\n2,dog\n3,emu\n");
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(path, new CsvOptions { ClassNames = ["cat", "dog"] }));
        AssertNames(e, path, ["line 4", "column 2 ('y')", "'emu'", "'cat', 'dog'"]);
    }

    [Fact]
    public void PredictionInputWithTheWrongFeatureCount()
    {
        string path = _dir.Write("p.csv", "a,b,c\n1,2,3\n");
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.LoadFeatures<float>(path, 4));
        AssertNames(e, path, ["line 2", "expected 4 features", "received 3"]);
    }

    [Fact]
    public void PredictionInputWithANonNumber()
    {
        string path = _dir.Write("p.csv", "1,2\n3,x\n");
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.LoadFeatures<float>(path, 2, hasHeader: false));
        AssertNames(e, path, ["line 2", "column 2", "'x'"]);
    }

    [Fact]
    public void AHugeFieldWithEscapeSequencesIsRefusedAtTheLimitWithABoundedEscapedMessage()
    {
        // An 8 MB label made of ANSI sequences (clear the screen, red text) on line 3.
        string path = System.IO.Path.Combine(_dir.Path, "huge.csv");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("x,label\n1,cat\n2,");
            var ansi = string.Concat(Enumerable.Repeat("\u001b[2J\u001b[31mred", 1000));
            for (int written = 0; written < 8_000_000; written += ansi.Length)
                writer.Write(ansi);
            writer.Write("\n3,dog\n");
        }
        CsvLoader.Parse<float>("x,y\n1,a\n2,b\n", "warm-up"); // so the JIT's allocations are not counted below

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertNames(e, path, ["line 3, field 2", $"at most {CsvLoader.MaxFieldLength} characters", "starting with '\\u001b[2J\\u001b[31mred"]);
        MessageAssert.FitsATerminal(e);
        // The field is given up on at 1 Mi characters (2 MiB as UTF-16), not read whole (16 MB as UTF-16).
        Assert.True(allocated < 8_000_000, $"Reading up to the limit allocated {allocated} bytes.");
    }

    [Theory]
    [InlineData("x,label\n1,cat\n2,{0}\n", "line 3, column 2 ('label')", "class label")]
    [InlineData("x,{0}\n1,cat\n2,dog\n", "line 1, column 2", "header name")]
    [InlineData("{0},label\n1,cat\n2,dog\n", "line 1, column 1", "header name")]
    public void ALabelOrHeaderNameOverTheLimitIsRefusedAtLoadTime(string template, string where, string what)
    {
        string name = "\u001b[1m" + new string('n', CsvLoader.MaxNameLength);
        string path = _dir.Write("long.csv", string.Format(System.Globalization.CultureInfo.InvariantCulture, template, name));
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(path));
        AssertNames(e, path, [where, $"expected a {what} of at most {CsvLoader.MaxNameLength} characters", "received '\\u001b[1mnnn", $"({CsvLoader.MaxNameLength + 4} characters)"]);
        MessageAssert.FitsATerminal(e);
        // At the limit itself, the name is accepted.
        CsvLoader.Load<float>(_dir.Write("limit.csv", string.Format(System.Globalization.CultureInfo.InvariantCulture, template, new string('n', CsvLoader.MaxNameLength))));
    }

    [Theory]
    [InlineData("\u001b[2Jcat", "line 3, column 2 ('label')", "U+001B at character 1")]
    [InlineData("\"two\nlines\"", "line 3, column 2 ('label')", "U+000A at character 4")]
    [InlineData("ab\u202Egpj", "line 3, column 2 ('label')", "U+202E at character 3")]
    [InlineData("c\u0085d", "line 3, column 2 ('label')", "U+0085 at character 2")]
    public void ALabelThatATerminalWouldActOnIsRefusedAtLoadTime(string label, string where, string what)
    {
        string path = _dir.Write("ansi.csv", $"x,label\n1,cat\n2,{label}\n");
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(path));
        AssertNames(e, path, [where, "expected a class label without control characters", what]);
        MessageAssert.FitsATerminal(e);
    }

    [Fact]
    public void NamesInAnyScriptLoad()
    {
        // Persian with a zero-width non-joiner, an emoji family joined by zero-width joiners, and accents.
        string[] names = ["می\u200Cخواهم", "👨\u200D👩\u200D👧", "café"];
        string path = _dir.Write("scripts.csv", "é,label\n" + string.Concat(names.Select((n, i) => $"{i},{n}\n")));
        var d = CsvLoader.Load<float>(path);
        Assert.Equal(names.Order(StringComparer.Ordinal), d.ClassNames);
        Assert.Equal(["é"], d.FeatureNames);
    }

    [Fact]
    public void ManyClassesLoadButMoreThanTheLimitAreRefusedNamingTheRow()
    {
        // 5,000 classes (and the limit itself) load; one more than the limit names the row that brings it.
        var five = CsvLoader.Parse<float>(Rows(5_000), "five.csv");
        Assert.Equal(5_000, five.ClassNames!.Count);
        Assert.Equal(CsvLoader.MaxClasses, CsvLoader.Parse<float>(Rows(CsvLoader.MaxClasses), "limit.csv").ClassNames!.Count);
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Parse<float>(Rows(CsvLoader.MaxClasses + 1), "many.csv"));
        Assert.Contains($"many.csv: line {CsvLoader.MaxClasses + 2}, column 2 ('y'): expected at most {CsvLoader.MaxClasses} distinct classes; the label 'c{CsvLoader.MaxClasses}' is one more", e.Message);

        static string Rows(int classes) => "x,y\n" + string.Concat(Enumerable.Range(0, classes).Select(k => $"{k},c{k}\n"));
    }

    [Fact]
    public void ARowWithTooManyFieldsIsRefusedAtTheLimit()
    {
        string path = _dir.Write("wide.csv", "x,y\n" + new string(',', CsvLoader.MaxFieldsPerRow + 10) + "\n");
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(path));
        AssertNames(e, path, ["line 2", $"at most {CsvLoader.MaxFieldsPerRow} fields"]);
    }

    [Fact]
    public void ValuesEchoedFromTheFileAreQuotedEscapedAndCut()
    {
        string field = "\u001b]0;pwned\u0007" + new string('9', 5000) + "\u202e";
        string path = _dir.Write("echo.csv", $"a,y\n{field},x\n2,z\n");
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(path));
        AssertNames(e, path, ["line 2, column 1 ('a'): expected a number; received '\\u001b]0;pwned\\u0007999", "…' (5011 characters)"]);
        MessageAssert.FitsATerminal(e);
        // The model's 5,000 classes are not all listed.
        var unknown = Assert.Throws<NablaInputException>(() => CsvLoader.Load<float>(_dir.Write("model.csv", "a,y\n1,emu\n"),
            new CsvOptions { ClassNames = [.. Enumerable.Range(0, 5000).Select(k => $"class{k}")] }));
        Assert.Contains("expected one of the classes the model knows ('class0', 'class1', ", unknown.Message);
        Assert.Contains(" more); received 'emu'", unknown.Message);
        MessageAssert.FitsATerminal(unknown);
    }

    private static void AssertNames(NablaInputException e, string path, string[] fragments)
    {
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message);
        foreach (var fragment in fragments)
            Assert.Contains(fragment, e.Message);
    }

    /// <summary>The shared folder next to the repository checkout (CI clones main with shared/ beside it).</summary>
    internal static string SharedRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (File.Exists(System.IO.Path.Combine(candidate, "data", "iris.csv")))
                return candidate;
        }
        return "/work/shared";
    }
}
