using System.Numerics;

namespace Nabla.Losses;

/// <summary>
/// Per-class weights for the classification losses (<see cref="CrossEntropy{T}"/>,
/// <see cref="MseCrossEntropy{T}"/>): a sample of class <c>c</c> counts <c>w_c</c> times, and the batch's loss
/// is divided by the sum of its samples' weights, as PyTorch's <c>CrossEntropyLoss(weight=w)</c> does.
/// </summary>
public static class ClassWeights
{
    /// <summary>
    /// scikit-learn's <c>compute_class_weight("balanced")</c>: <c>w_c = n / (k·n_c)</c> for <c>n</c> samples, <c>k</c> classes
    /// and <c>n_c</c> samples of class <c>c</c>, so every class carries the same total weight.
    /// </summary>
    /// <exception cref="ArgumentException">A label is outside [0, <paramref name="classCount"/>), or a class has no sample (its weight would be infinite).</exception>
    public static double[] Balanced(ReadOnlySpan<int> labels, int classCount)
    {
        if (classCount < 1)
            throw new ArgumentOutOfRangeException(nameof(classCount), $"Expected at least 1 class; received {classCount}.");
        var counts = new int[classCount];
        foreach (int label in labels)
        {
            if ((uint)label >= (uint)classCount)
                throw new ArgumentException($"Expected labels in [0, {classCount}); received {label}.", nameof(labels));
            counts[label]++;
        }
        if (Array.IndexOf(counts, 0) is var empty and >= 0)
            throw new ArgumentException($"Class {empty} has no sample, so it has no balanced weight; expected every one of the {classCount} classes in the labels.", nameof(labels));
        var weights = new double[classCount];
        for (int c = 0; c < classCount; c++)
            weights[c] = (double)labels.Length / ((double)classCount * counts[c]);
        return weights;
    }

    /// <summary>
    /// Weights given by class name (scikit-learn's <c>class_weight={"a": 2}</c>), in the order of
    /// <paramref name="classNames"/>; classes not named weigh 1.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not one of <paramref name="classNames"/>, or a weight is not positive and finite.</exception>
    public static double[] ByName(IReadOnlyDictionary<string, double> weights, IReadOnlyList<string> classNames)
    {
        var result = new double[classNames.Count];
        Array.Fill(result, 1.0);
        foreach (var (name, weight) in weights)
        {
            int index = Enumerable.Range(0, classNames.Count).FirstOrDefault(i => classNames[i] == name, -1);
            if (index < 0)
                throw new ArgumentException($"Class weight for '{name}': expected one of the classes {string.Join(", ", classNames)}.", nameof(weights));
            result[index] = weight;
        }
        Check(result);
        return result;
    }

    /// <summary>Checks that every weight is positive and finite and converts them to <typeparamref name="T"/>.</summary>
    /// <exception cref="ArgumentException">A weight is zero, negative, infinite or NaN, or there is none.</exception>
    internal static T[] Check<T>(IReadOnlyList<double> weights) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(weights);
        return [.. weights.Select(T.CreateChecked)];
    }

    private static void Check(IReadOnlyList<double> weights)
    {
        if (weights.Count == 0)
            throw new ArgumentException("Expected one weight per class; received none.", nameof(weights));
        for (int c = 0; c < weights.Count; c++)
            if (!(weights[c] > 0) || double.IsInfinity(weights[c]))
                throw new ArgumentException($"Expected positive finite class weights; received {weights[c]} for class {c}.", nameof(weights));
    }

    /// <summary>Throws unless there is one weight per column of the prediction.</summary>
    internal static void SameCount<T>(string loss, T[] weights, int classes)
    {
        if (weights.Length != classes)
            throw new ArgumentException($"{loss}: the prediction has {classes} classes but {weights.Length} class weights were given; expected one weight per class.");
    }
}
