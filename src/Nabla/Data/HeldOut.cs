using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Nabla.Data;

/// <summary>
/// What a training run held out of its data, so the same rows can be found again (<c>nabla evaluate</c> scores the
/// held-out rows by default): the seed and fractions of the splits, and the number of rows and a SHA-256 of the data
/// they were taken from, which tell whether data loaded later is that data. The test part is split off first, with
/// the seed mixed with <see cref="TestSalt"/>, then the validation part from what is left, with the seed; both are
/// stratified for classes (<see cref="Split.TrainValidation"/>).
/// </summary>
public sealed record HeldOut
{
    /// <summary>Mixed into <see cref="Seed"/> for the test split, so it differs from the validation split.</summary>
    public const ulong TestSalt = 0x7E57UL;

    /// <summary>The seed of the splits (the run's seed).</summary>
    [JsonPropertyName("seed")]
    public required ulong Seed { get; init; }

    /// <summary>The fraction held out for validation (from what the test split left), or null.</summary>
    [JsonPropertyName("validation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ValidationFraction { get; init; }

    /// <summary>The fraction held out as the test set, or null.</summary>
    [JsonPropertyName("test"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? TestFraction { get; init; }

    /// <summary>The number of samples of the data the parts were taken from.</summary>
    [JsonPropertyName("rows")]
    public required int Rows { get; init; }

    /// <summary>The SHA-256 (hex) of that data (<see cref="Fingerprint"/>).</summary>
    [JsonPropertyName("sha256")]
    public required string Sha256 { get; init; }

    /// <summary>The hold-out of <paramref name="validationFraction"/> and <paramref name="testFraction"/> of <paramref name="data"/> with <paramref name="seed"/>.</summary>
    public static HeldOut Of(Dataset<float> data, ulong seed, double? validationFraction, double? testFraction)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new HeldOut { Seed = seed, ValidationFraction = validationFraction, TestFraction = testFraction, Rows = data.Count, Sha256 = Fingerprint(data) };
    }

    /// <summary>True when <paramref name="data"/> is the data the parts were taken from (same rows, same numbers).</summary>
    public bool Matches(Dataset<float> data) => data.Count == Rows && Fingerprint(data) == Sha256;

    /// <summary>
    /// The training, validation and test parts of <paramref name="data"/>: the test part first (with the salted seed),
    /// then the validation part from the rest; a part with no fraction is null.
    /// </summary>
    /// <exception cref="NablaInputException">The data is too small to split so.</exception>
    public (Dataset<T> Train, Dataset<T>? Validation, Dataset<T>? Test) Apply<T>(Dataset<T> data) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        Dataset<T> train = data;
        Dataset<T>? validation = null, test = null;
        if (TestFraction is { } testFraction)
            (train, test) = Split.TrainValidation(train, testFraction, Seed ^ TestSalt, stratified: train.IsClassification);
        if (ValidationFraction is { } fraction)
            (train, validation) = Split.TrainValidation(train, fraction, Seed, stratified: train.IsClassification);
        return (train, validation, test);
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of the samples as loaded: the sample and column counts, the features and the targets as
    /// float32 bytes, in order. The same file read with the same options gives the same value on every (little-endian) machine.
    /// </summary>
    public static string Fingerprint(Dataset<float> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> counts = stackalloc byte[12];
        BitConverter.TryWriteBytes(counts, data.Count);
        BitConverter.TryWriteBytes(counts[4..], data.FeatureCount);
        BitConverter.TryWriteBytes(counts[8..], data.TargetCount);
        hash.AppendData(counts);
        hash.AppendData(MemoryMarshal.AsBytes(data.Features.Span));
        hash.AppendData(MemoryMarshal.AsBytes(data.Targets.Span));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Checks the fractions, seed-independent: each in (0, 1), together below 1, and at least one row.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (ValidationFraction is { } v && !(v > 0 && v < 1) || TestFraction is { } t && !(t > 0 && t < 1))
            throw new ArgumentException($"The held-out fractions must be in (0, 1); received validation {ValidationFraction}, test {TestFraction}.");
        if (Rows < 1 || Sha256 is null || Sha256.Length != 64)
            throw new ArgumentException($"The held-out record needs at least one row and a 64-digit SHA-256; received {Rows} rows and '{Sha256}'.");
    }
}
