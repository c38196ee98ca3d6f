using Nabla.Data;

namespace Nabla.Cli.Tests;

/// <summary>
/// A fact that needs Debian's dataset-fashion-mnist. Without it the test is skipped on a developer
/// machine, but runs (and fails with a clear message) when CI is set, since .ci/run installs it.
/// </summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public FashionMnistFactAttribute()
    {
        if (new DatasetCatalog().Locate("fashion-mnist") is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); set CI=1 to make this a failure.";
    }
}
