using Nabla.Data;
using Nabla.Models;
using Nabla.Tensors;

namespace Nabla.Tests.Models;

public class ModelInputsTests
{
    private static Architecture Image(double? pixelScale) =>
        Architecture.Mlp(4, [3], 2, "relu", "cross-entropy", ["a", "b"]) with { PixelScale = pixelScale };

    [Fact]
    public void RawPixelsAreDividedExactlyAsTheImageLoaderDividesThem()
    {
        byte[] bytes = [0, 1, 128, 255, 7, 200, 33, 254];
        var loaded = IdxReader.ToFeatures<float>(new IdxImages(2, 2, 2, bytes));
        var raw = new Matrix<float>(2, 4, [.. bytes.Select(b => (float)b)]);

        var fromRaw = ModelInputs.Features(raw, Image(255), "raw.csv");
        var fromIdx = ModelInputs.Prepare(new Dataset<float>(loaded, [0, 1], ["a", "b"], "idx") { PixelScale = 255 }, Image(255));

        Assert.Equal(loaded.Span.ToArray().Select(BitConverter.SingleToInt32Bits), fromRaw.Span.ToArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Same(loaded, fromIdx.Features);
        Assert.Equal(bytes.Select(b => (float)b), raw.Span.ToArray()); // the raw input is left as it was
    }

    [Fact]
    public void AModelWithoutAPixelScaleTakesTheFeaturesAsTheyAre()
    {
        var loaded = new Matrix<float>(1, 4, [0.5f, 0.25f, 1, 0]);
        var data = new Dataset<float>(loaded, [1], ["a", "b"], "idx") { PixelScale = 255 };

        Assert.Same(data, ModelInputs.Prepare(data, Image(null)));
        // A model trained on raw pixels (pixel scale 1) gets them back from an image loader's divided ones.
        Assert.Equal([127.5f, 63.75f, 255, 0], ModelInputs.Prepare(data, Image(1)).Features.Span.ToArray());
    }

    [Fact]
    public void ARegressionModelsTargetsAreScaledForItAndItsOutputsUnscaled()
    {
        var targets = new Scaling(ScalingKind.Standard, [10], [4]);
        var architecture = Architecture.Mlp(1, [], 1, "relu", "mse", null) with { TargetScaling = targets };
        var data = new Dataset<float>(new Matrix<float>(2, 1, [1, 2]), new Matrix<float>(2, 1, [14, 6]), "line");

        var prepared = ModelInputs.Prepare(data, architecture);

        Assert.Equal([1f, -1f], prepared.Targets.Span.ToArray());
        Assert.Equal([14f, 6f], data.Targets.Span.ToArray());
        Assert.Equal([14f, 6f], ModelInputs.Unscale(prepared.Targets.Clone(), architecture).Span.ToArray());
    }
}
