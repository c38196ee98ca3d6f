namespace Nabla.Data;

/// <summary>Which part of a dataset that ships pre-split (MNIST and the like) to load.</summary>
public enum DataSplit
{
    /// <summary>The training files (<c>train-*</c>).</summary>
    Train,

    /// <summary>The test files (<c>t10k-*</c>).</summary>
    Test,
}
