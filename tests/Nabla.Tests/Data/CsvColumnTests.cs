using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>Choosing a CSV file's feature columns, its delimiter, and text columns one-hot encoded over their categories.</summary>
public sealed class CsvColumnTests : IDisposable
{
    private const string People = "id,age,colour,city,label\n1,30,red,Oslo,yes\n2,41,blue,Lima,no\n3,25,red,Oslo,no\n4,52,green,Pune,yes\n";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TextColumnsAreOneHotEncodedOverTheirCategoriesInOrdinalOrder()
    {
        var d = CsvLoader.Parse<float>(People, "people.csv", new CsvOptions { Drop = ["id"] });

        Assert.Equal(["age", "colour=blue", "colour=green", "colour=red", "city=Lima", "city=Oslo", "city=Pune"], d.FeatureNames);
        Assert.Equal([30f, 0, 0, 1, 0, 1, 0], d.Features.Row(0).ToArray());
        Assert.Equal([52f, 0, 1, 0, 0, 0, 1], d.Features.Row(3).ToArray());
        Assert.Equal(["age", "colour", "city"], d.Columns!.Select(c => c.Name));
        Assert.Equal(["blue", "green", "red"], d.Columns![1].Categories!);
        Assert.Null(d.Columns[0].Categories);
        Assert.Equal("label", d.TargetName);
        Assert.Null(CsvLoader.Parse<float>("a,y\n1,x\n2,z\n", "numbers.csv").Columns);
    }

    [Fact]
    public void FeaturesPickColumnsInTheirOrderAndADelimiterSplitsTheFields()
    {
        var d = CsvLoader.Parse<float>(People.Replace(',', ';'), "people.csv", new CsvOptions { Delimiter = ';', Features = ["city", "age"] });
        var tabs = CsvLoader.Parse<float>("a\tb\ty\n1\t2\tx\n3\t4\tz\n", "tabs.tsv", new CsvOptions { Delimiter = '\t' });

        Assert.Equal(["city=Lima", "city=Oslo", "city=Pune", "age"], d.FeatureNames);
        Assert.Equal([0f, 1, 0, 30], d.Features.Row(0).ToArray());
        Assert.Equal([1f, 2, 3, 4], tabs.Features.Span.ToArray());
    }

    [Fact]
    public void AModelsColumnsPickByNameInAnyOrderAndRefuseAnUnknownCategory()
    {
        var trained = CsvLoader.Parse<float>(People, "people.csv", new CsvOptions { Drop = ["id"] });
        var model = new CsvOptions { Columns = trained.Columns, ClassNames = trained.ClassNames, Label = "label" };

        var reordered = CsvLoader.Parse<float>("city,label,colour,age,extra\nPune,no,blue,60,9\n", "new.csv", model);
        Assert.Equal([60f, 1, 0, 0, 0, 0, 1], reordered.Features.Row(0).ToArray());

        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Parse<float>("age,colour,city,label\n60,pink,Pune,no\n", "new.csv", model));
        Assert.Equal("new.csv: line 2, column 2 ('colour'): expected one of the categories the model knows for 'colour' ('blue', 'green', 'red'); received 'pink'.", e.Message);

        var inputs = CsvLoader.ParseInputs<float>("label,city,age,colour\nyes,Lima,20,green\n", "in.csv", trained.Columns, 7);
        Assert.Equal([20f, 0, 1, 0, 1, 0, 0], inputs.Span.ToArray());
        var positional = CsvLoader.ParseInputs<float>("20,green,Lima\n", "in.csv", trained.Columns, 7);
        Assert.Equal(inputs.Span.ToArray(), positional.Span.ToArray());
    }

    [Theory]
    [InlineData("--features", "id,age,zip", "line 1 (header): expected a feature column named 'zip'; the columns are 'id', 'age', 'colour', 'city', 'label'.")]
    [InlineData("--features", "age,label", "line 1 (header): 'label' is the target column; it cannot also be a feature column.")]
    [InlineData("--features", "age,age", "line 1 (header): 'age' is named twice as a feature column.")]
    [InlineData("--drop", "id,age,colour,city", "line 1 (header): expected at least one feature column besides the target 'label'; received none after the dropped ones.")]
    public void ChoosingColumnsThatAreNotThereSaysWhich(string option, string names, string message)
    {
        var list = names.Split(',');
        var options = option == "--features" ? new CsvOptions { Features = list } : new CsvOptions { Drop = list };
        Assert.Equal("people.csv: " + message, Assert.Throws<NablaInputException>(() => CsvLoader.Parse<float>(People, "people.csv", options)).Message);
    }

    [Fact]
    public void AColumnIsTextWhenItsFirstValueIsANameAndTooManyCategoriesSuggestDroppingIt()
    {
        // A number in a text column is a category; text in a number column is an error, as before.
        var mixed = CsvLoader.Parse<float>("size,y\nsmall,a\n3,b\n", "mixed.csv");
        Assert.Equal(["size=3", "size=small"], mixed.FeatureNames);
        Assert.Contains("expected a number; received 'small'", Assert.Throws<NablaInputException>(() => CsvLoader.Parse<float>("size,y\n3,a\nsmall,b\n", "m.csv")).Message);

        string ids = "id,y\n" + string.Concat(Enumerable.Range(0, CsvLoader.MaxCategories + 1).Select(i => $"user{i},{i % 2}\n"));
        var e = Assert.Throws<NablaInputException>(() => CsvLoader.Parse<float>(ids, "ids.csv"));
        Assert.Contains($"expected at most {CsvLoader.MaxCategories} categories in a text column; 'user{CsvLoader.MaxCategories}' is one more. Is it an identifier? Leave it out with --drop.", e.Message);
    }
}
