using System.Text;
using Nabla.Playground.Engine;
using Nabla.Playground.Web;

namespace Nabla.Playground.Tests.Engine;

public sealed class EngineDataTests
{
    [Theory]
    [InlineData("iris.csv", "iris.csv")]
    [InlineData("../../etc/passwd", "passwd.csv")]
    [InlineData("C:\\Users\\me\\my data.CSV", "mydata.csv")]
    [InlineData(".hidden", "hidden.csv")]
    [InlineData("", "data.csv")]
    [InlineData(null, "data.csv")]
    [InlineData("$(rm -rf ~).csv", "rm-rf.csv")]
    public void Uploaded_file_names_keep_only_safe_characters(string? name, string expected) =>
        Assert.Equal(expected, EngineData.SafeFileName(name));

    [Fact]
    public void An_upload_is_parsed_by_the_clis_csv_reader_with_a_byte_order_mark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv.ThreeBlobs(30))).ToArray();
        var csv = EngineData.ParseUpload(bytes, "blobs.csv");
        Assert.Equal(["a", "b"], csv.Data.FeatureNames);
        Assert.Equal(30, csv.Data.Count);
    }

    [Fact]
    public void Too_few_rows_or_a_single_class_are_refused()
    {
        Assert.Contains("expected at least 10 data rows", Assert.Throws<PlaygroundRequestException>(() =>
            EngineData.ParseUpload(Encoding.UTF8.GetBytes(Csv.ThreeBlobs(6)), "few.csv")).Message);
        // The CLI's reader itself refuses a single class.
        Assert.Contains("one.csv: column 'y': expected at least two classes", Assert.Throws<PlaygroundRequestException>(() =>
            EngineData.ParseUpload(Encoding.UTF8.GetBytes("a,b,y\n" + string.Concat(Enumerable.Repeat("1,2,x\n", 20))), "one.csv")).Message);
    }
}
