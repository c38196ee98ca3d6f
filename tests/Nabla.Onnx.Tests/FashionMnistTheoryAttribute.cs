using Nabla.Data;

namespace Nabla.Onnx.Tests;

/// <summary>A theory that needs Debian's dataset-fashion-mnist: skipped without it on a developer machine, run (and failing clearly) when CI is set.</summary>
public sealed class FashionMnistTheoryAttribute : TheoryAttribute
{
    public FashionMnistTheoryAttribute()
    {
        if (new DatasetCatalog().Locate("fashion-mnist") is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); set CI=1 to make this a failure.";
    }
}
