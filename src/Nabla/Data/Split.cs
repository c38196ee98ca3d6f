using System.Numerics;

namespace Nabla.Data;

/// <summary>
/// Random train / validation / test splits, deterministic by seed. Stratified splits keep each
/// class's share: every class contributes round-down of its count times the fraction, and the rows
/// still needed to reach the overall size come from the classes with the largest remainders.
/// </summary>
public static class Split
{
    /// <summary>Holds out <paramref name="validationFraction"/> of the samples (rounded to the nearest whole sample) for validation.</summary>
    public static (Dataset<T> Train, Dataset<T> Validation) TrainValidation<T>(
        Dataset<T> dataset, double validationFraction, ulong seed, bool stratified = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (train, validation, _) = TrainValidationTest(dataset, validationFraction, 0, seed, stratified);
        return (train, validation);
    }

    /// <summary>
    /// Splits into train, validation and test parts; validation and test get their fractions of the
    /// samples (each rounded to the nearest whole sample, a test fraction of 0 giving an empty test set),
    /// training gets the rest.
    /// </summary>
    public static (Dataset<T> Train, Dataset<T> Validation, Dataset<T> Test) TrainValidationTest<T>(
        Dataset<T> dataset, double validationFraction, double testFraction, ulong seed, bool stratified = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (train, validation, test) = Indices(dataset, validationFraction, testFraction, seed, stratified);
        return (dataset.Subset(train), dataset.Subset(validation), dataset.Subset(test));
    }

    /// <summary>
    /// The rows of each part <see cref="TrainValidationTest"/> takes, in its order, without copying them (to look at a
    /// part of a large dataset before training on it).
    /// </summary>
    /// <exception cref="NablaInputException">A fraction is out of range, or a part would be empty.</exception>
    public static (int[] Train, int[] Validation, int[] Test) Indices<T>(
        Dataset<T> dataset, double validationFraction, double testFraction, ulong seed, bool stratified = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new NablaInputException($"Expected a validation fraction in (0, 1); received {validationFraction}.");
        if (!(testFraction >= 0 && validationFraction + testFraction < 1))
            throw new NablaInputException($"Expected a test fraction in [0, 1 − validation fraction); received {testFraction} with validation fraction {validationFraction}.");
        if (stratified && !dataset.IsClassification)
            throw new NablaInputException($"{dataset.Name}: a stratified split needs class labels; this dataset is a regression dataset.");

        int n = dataset.Count;
        int validationCount = (int)Math.Round(n * validationFraction, MidpointRounding.AwayFromZero);
        int testCount = (int)Math.Round(n * testFraction, MidpointRounding.AwayFromZero);
        if (validationCount < 1 || n - validationCount - testCount < 1)
            throw new NablaInputException(
                $"{dataset.Name}: {n} samples are too few to split with validation fraction {validationFraction} and test fraction {testFraction}; expected each part to keep at least one sample.");

        var rng = new Rng(seed);
        var groups = stratified ? ByClass(dataset) : [Enumerable.Range(0, n).ToArray()];
        foreach (var group in groups)
            rng.Shuffle(group.AsSpan());
        var validationTake = Allocate(groups, validationCount);
        var testTake = Allocate(groups, testCount, validationTake);

        var validation = new List<int>();
        var test = new List<int>();
        var train = new List<int>();
        for (int g = 0; g < groups.Length; g++)
        {
            validation.AddRange(groups[g].Take(validationTake[g]));
            test.AddRange(groups[g].Skip(validationTake[g]).Take(testTake[g]));
            train.AddRange(groups[g].Skip(validationTake[g] + testTake[g]));
        }
        return (Shuffled(train, rng), Shuffled(validation, rng), Shuffled(test, rng));
    }

    private static int[][] ByClass<T>(Dataset<T> dataset) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var labels = dataset.Labels!;
        return Enumerable.Range(0, dataset.ClassNames!.Count)
            .Select(k => Enumerable.Range(0, labels.Length).Where(i => labels[i] == k).ToArray())
            .ToArray();
    }

    /// <summary>How many of each group's not-yet-taken rows to take so the total is <paramref name="total"/>, proportionally (largest remainders).</summary>
    private static int[] Allocate(int[][] groups, int total, int[]? alreadyTaken = null)
    {
        int n = groups.Sum(g => g.Length);
        var take = new int[groups.Length];
        var remainders = new double[groups.Length];
        for (int g = 0; g < groups.Length; g++)
        {
            double exact = (double)groups[g].Length * total / n;
            take[g] = Math.Min((int)Math.Floor(exact), Available(g));
            remainders[g] = exact - take[g];
        }
        int missing = total - take.Sum();
        foreach (int g in Enumerable.Range(0, groups.Length).OrderByDescending(g => remainders[g]).ThenBy(g => g).Cycle())
        {
            if (missing == 0)
                break;
            if (take[g] < Available(g))
            {
                take[g]++;
                missing--;
            }
        }
        return take;

        int Available(int g) => groups[g].Length - (alreadyTaken?[g] ?? 0);
    }

    private static IEnumerable<int> Cycle(this IEnumerable<int> order)
    {
        var items = order.ToArray();
        while (true)
            foreach (int item in items)
                yield return item;
    }

    /// <summary><paramref name="indices"/> in a shuffled order, so classes are interleaved.</summary>
    private static int[] Shuffled(List<int> indices, Rng rng)
    {
        var order = indices.ToArray();
        rng.Shuffle(order.AsSpan());
        return order;
    }
}
