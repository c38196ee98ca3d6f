using Nabla.Data;

namespace Nabla.Tests.Data;

/// <summary>A fact that runs only where Debian's dataset-fashion-mnist is installed (CI installs it).</summary>
public sealed class FashionMnistFactAttribute : FactAttribute
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";

    public FashionMnistFactAttribute()
    {
        if (!IdxReader.IsDatasetDirectory(Directory))
            Skip = $"Fashion-MNIST is not installed at {Directory} (apt-get install dataset-fashion-mnist); .ci/run installs it.";
    }
}
