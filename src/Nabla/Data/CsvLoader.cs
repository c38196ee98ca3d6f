using System.Globalization;
using System.Numerics;
using Nabla.Tensors;

namespace Nabla.Data;

/// <summary>
/// Loads CSV files: a header row, then one sample per row with numeric features and a target
/// column. Class labels may be any text; discovered classes are ordered numerically when every label
/// is an integer and by ordinal string order otherwise, so the order never depends on row order.
/// Every malformed input throws <see cref="NablaInputException"/> naming the file, the line and the
/// column, what was expected and what was found.
/// </summary>
public static class CsvLoader
{
    /// <summary>Loads a labelled CSV file (classification, or regression per <paramref name="options"/>).</summary>
    public static Dataset<T> Load<T>(string path, CsvOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Parse<T>(ReadText(path), path, options);

    /// <summary>Parses labelled CSV <paramref name="text"/>; <paramref name="source"/> names it in errors and becomes the dataset's name.</summary>
    public static Dataset<T> Parse<T>(string text, string source, CsvOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= new CsvOptions();
        var records = ParseRecords(text, source);
        string[] header = records[0].Fields;
        int target = TargetColumn(header, options.Label, source, records[0].Line);
        if (header.Length < 2)
            throw new NablaInputException($"{source}: line {records[0].Line} (header): expected at least one feature column besides the target \"{header[target]}\"; received only that column.", source);
        if (records.Count == 1)
            throw new NablaInputException($"{source}: has a header (line {records[0].Line}) but no data rows; expected at least one sample.", source);
        CheckRectangular(records, header.Length, source);

        int rows = records.Count - 1, cols = header.Length - 1;
        var features = new Matrix<T>(rows, cols);
        for (int r = 0; r < rows; r++)
        {
            var record = records[r + 1];
            for (int c = 0, f = 0; c < header.Length; c++)
                if (c != target)
                    features[r, f++] = ParseNumber<T>(record, c, header, source);
        }
        string[] featureNames = header.Where((_, c) => c != target).ToArray();

        if (options.Regression)
        {
            var targets = new Matrix<T>(rows, 1);
            for (int r = 0; r < rows; r++)
                targets[r, 0] = ParseNumber<T>(records[r + 1], target, header, source);
            return new Dataset<T>(features, targets, source) { FeatureNames = featureNames };
        }

        var texts = records.Skip(1).Select(rec => rec.Fields[target]).ToArray();
        var classNames = options.ClassNames ?? DiscoverClasses(texts, header[target], source);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < classNames.Count; k++)
            index[classNames[k]] = k;
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            if (!index.TryGetValue(texts[r], out labels[r]))
                throw new NablaInputException(
                    $"{source}: line {records[r + 1].Line}, {Column(target, header)}: expected one of the classes the model knows ({string.Join(", ", classNames)}); received \"{texts[r]}\".", source);
        }
        return new Dataset<T>(features, labels, classNames, source) { FeatureNames = featureNames };
    }

    /// <summary>
    /// Loads a features-only CSV file (input for prediction): every row must have exactly
    /// <paramref name="expectedFeatures"/> numbers. <paramref name="hasHeader"/> null means a first row
    /// with any non-numeric field is taken as a header.
    /// </summary>
    public static Matrix<T> LoadFeatures<T>(string path, int expectedFeatures, bool? hasHeader = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        ParseFeatures<T>(ReadText(path), path, expectedFeatures, hasHeader);

    /// <summary>Parses features-only CSV <paramref name="text"/>, as <see cref="LoadFeatures"/> does.</summary>
    public static Matrix<T> ParseFeatures<T>(string text, string source, int expectedFeatures, bool? hasHeader = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var records = ParseRecords(text, source);
        bool header = hasHeader ?? records[0].Fields.Any(f => !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        string[]? names = header ? records[0].Fields : null;
        int first = header ? 1 : 0;
        if (records.Count == first)
            throw new NablaInputException($"{source}: has a header (line {records[0].Line}) but no data rows; expected at least one sample.", source);
        var features = new Matrix<T>(records.Count - first, expectedFeatures);
        for (int r = first; r < records.Count; r++)
        {
            var record = records[r];
            if (record.Fields.Length != expectedFeatures)
                throw new NablaInputException(
                    $"{source}: line {record.Line}: expected {expectedFeatures} features, as the model was trained on; received {record.Fields.Length} fields.", source);
            for (int c = 0; c < expectedFeatures; c++)
                features[r - first, c] = ParseNumber<T>(record, c, names, source);
        }
        return features;
    }

    /// <summary>Reads a whole file, turning a missing or empty one into a <see cref="NablaInputException"/>.</summary>
    internal static string ReadText(string path)
    {
        if (Directory.Exists(path))
            throw new NablaInputException($"{path}: expected a CSV file; received a directory.", path);
        if (!File.Exists(path))
            throw new NablaInputException($"{path}: file not found; expected a CSV file.", path);
        return File.ReadAllText(path);
    }

    private static List<CsvRecord> ParseRecords(string text, string source)
    {
        var records = CsvReader.Parse(text, source);
        if (records.Count == 0)
            throw new NablaInputException($"{source}: the file is empty; expected a header row and data rows.", source);
        return records;
    }

    private static int TargetColumn(string[] header, string? label, string source, int line)
    {
        if (label is null)
            return header.Length - 1;
        int index = Array.IndexOf(header, label);
        if (index < 0)
            throw new NablaInputException(
                $"{source}: line {line} (header): expected a column named \"{label}\"; the columns are {string.Join(", ", header.Select(h => $"\"{h}\""))}.", source);
        return index;
    }

    private static void CheckRectangular(List<CsvRecord> records, int width, string source)
    {
        foreach (var record in records)
            if (record.Fields.Length != width)
                throw new NablaInputException(
                    $"{source}: line {record.Line}: expected {width} fields like the header (line {records[0].Line}); received {record.Fields.Length}.", source);
    }

    private static T ParseNumber<T>(CsvRecord record, int column, string[]? header, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string text = record.Fields[column];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new NablaInputException(
                $"{source}: line {record.Line}, {Column(column, header)}: expected a number; received {(text.Length == 0 ? "an empty field" : $"\"{text}\"")}.", source);
        T result = T.CreateChecked(value);
        if (!T.IsFinite(result))
            throw new NablaInputException(
                $"{source}: line {record.Line}, {Column(column, header)}: expected a finite number{(double.IsFinite(value) ? $" within the range of {typeof(T).Name}" : "")}; received \"{text}\".", source);
        return result;
    }

    private static string[] DiscoverClasses(string[] labels, string column, string source)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length < 2)
            throw new NablaInputException(
                $"{source}: column \"{column}\": expected at least two classes to classify; received the single class \"{distinct[0]}\" in all {labels.Length} rows (for a numeric target, use regression).", source);
        bool integers = distinct.All(l => long.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        return integers
            ? distinct.OrderBy(l => long.Parse(l, CultureInfo.InvariantCulture)).ToArray()
            : distinct.OrderBy(l => l, StringComparer.Ordinal).ToArray();
    }

    /// <summary>"column 3 (\"petal_length\")", 1-based like the line numbers; no name when the header is shorter than the row.</summary>
    private static string Column(int index, string[]? header) =>
        header is null || index >= header.Length ? $"column {index + 1}" : $"column {index + 1} (\"{header[index]}\")";
}
