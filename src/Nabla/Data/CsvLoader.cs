using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Nabla.Tensors;
using Nabla.Text;

namespace Nabla.Data;

/// <summary>
/// Loads CSV files: a header row, then one sample per row with features and a target column. Features are
/// numbers, or text one-hot encoded (a column whose first value is a name rather than a number; its categories in
/// ordinal order); which columns are features is chosen by <see cref="CsvOptions"/> (<see cref="CsvColumns"/>).
/// Class labels may be any text; discovered classes are ordered numerically when every label
/// is an integer and by ordinal string order otherwise, so the order never depends on row order.
/// Every malformed input throws <see cref="NablaInputException"/> naming the file, the line and the
/// column, what was expected and what was found; text from the file is shown through <see cref="Quoted"/>.
/// </summary>
/// <remarks>
/// The file is read one row at a time and each row's numbers are stored as they are parsed, so memory
/// holds the numbers (in lists that grow by doubling) and one row of text, never the whole file. The limits below keep a hostile or
/// mistaken file from costing more than that, and keep names that end up in the model file short.
/// </remarks>
public static class CsvLoader
{
    /// <summary>The longest field accepted, in characters (1 MiB); reading stops as soon as a field passes it.</summary>
    public const int MaxFieldLength = 1 << 20;

    /// <summary>The most fields a row may have (1,048,576).</summary>
    public const int MaxFieldsPerRow = 1 << 20;

    /// <summary>
    /// The longest class label or header name accepted in a labelled file, in characters. Names may not hold
    /// control characters, line separators, bidirectional overrides or unpaired surrogates either.
    /// </summary>
    public const int MaxNameLength = SafeName.MaxLength;

    /// <summary>The most distinct classes a labelled file may hold.</summary>
    public const int MaxClasses = 10_000;

    /// <summary>The most categories a text feature column may hold (each becomes a feature).</summary>
    public const int MaxCategories = 1_000;

    /// <summary>Loads a labelled CSV file (classification, or regression per <paramref name="options"/>).</summary>
    /// <exception cref="NablaInputException">The file is missing, unreadable or malformed, or passes one of the limits above.</exception>
    public static Dataset<T> Load<T>(string path, CsvOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var reader = Open(path);
        return Read<T>(reader, path, options);
    }

    /// <summary>Parses labelled CSV <paramref name="text"/>; <paramref name="source"/> names it in errors and becomes the dataset's name.</summary>
    /// <exception cref="NablaInputException">The text is malformed or passes one of the limits above.</exception>
    public static Dataset<T> Parse<T>(string text, string source, CsvOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        Read<T>(new StringReader(text), source, options);

    /// <summary>
    /// Loads a features-only CSV file (input for prediction): every row must have exactly
    /// <paramref name="expectedFeatures"/> numbers. <paramref name="hasHeader"/> null means a first row
    /// with any non-numeric field is taken as a header.
    /// </summary>
    /// <exception cref="NablaInputException">The file is missing, unreadable or malformed.</exception>
    public static Matrix<T> LoadFeatures<T>(string path, int expectedFeatures, bool? hasHeader = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        LoadInputs<T>(path, null, expectedFeatures, hasHeader: hasHeader);

    /// <summary>Parses features-only CSV <paramref name="text"/>, as <see cref="LoadFeatures"/> does.</summary>
    /// <exception cref="NablaInputException">The text is malformed.</exception>
    public static Matrix<T> ParseFeatures<T>(string text, string source, int expectedFeatures, bool? hasHeader = null) where T : unmanaged, IFloatingPointIeee754<T> =>
        ReadInputs<T>(new StringReader(text), source, null, expectedFeatures, ',', hasHeader);

    /// <summary>Parses a model's input from CSV <paramref name="text"/>, as <see cref="LoadInputs"/> does.</summary>
    /// <exception cref="NablaInputException">The text is malformed, or a text column holds a category the model does not know.</exception>
    public static Matrix<T> ParseInputs<T>(string text, string source, IReadOnlyList<InputColumn>? columns, int expectedFeatures, char delimiter = ',', bool? hasHeader = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        ReadInputs<T>(new StringReader(text), source, columns, expectedFeatures, delimiter, hasHeader);

    /// <summary>
    /// Loads a model's input from a CSV file: the raw <paramref name="columns"/> it takes (a model's
    /// <c>Architecture.Columns</c>, or its feature names as numeric columns; null when it has no names) encoded into
    /// <paramref name="expectedFeatures"/> features. A header holding every column's name picks them by name (other
    /// columns, such as the label, are ignored); otherwise each row holds exactly the columns, in order.
    /// <paramref name="hasHeader"/> null: a first row that names the columns, or has a non-numeric field in a numeric
    /// column, is a header.
    /// </summary>
    /// <exception cref="NablaInputException">The file is missing, unreadable or malformed, or a text column holds a category the model does not know.</exception>
    public static Matrix<T> LoadInputs<T>(string path, IReadOnlyList<InputColumn>? columns, int expectedFeatures, char delimiter = ',', bool? hasHeader = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var reader = Open(path);
        return ReadInputs<T>(reader, path, columns, expectedFeatures, delimiter, hasHeader);
    }

    private static Dataset<T> Read<T>(TextReader text, string source, CsvOptions? options) where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= new CsvOptions();
        var csv = new CsvReader(text, source, options.Delimiter);
        var first = Catch(csv.Read, source) ?? throw Empty(source);
        string[] header = first.Fields;
        int target = TargetColumn(header, options.Label, source, first.Line);
        if (header.Length < 2)
            throw new NablaInputException($"{source}: line {first.Line} (header): expected at least one feature column besides the target {Quoted.Value(header[target])}; received only that column.", source);
        for (int c = 0; c < header.Length; c++)
            CheckName(header[c], first, c, null, "header name", source);
        var columns = CsvColumns.Labelled(header, target, options, source, first.Line);

        var numbers = new List<T>();
        var codes = new List<int>();
        var targets = new List<T>();
        var classes = new ClassIndex(options.ClassNames);
        var rowClasses = new List<int>();
        int rows = 0;
        var (perNumbers, perCodes) = columns.PerRow;
        while (Catch(csv.Read, source) is { } record)
        {
            if (record.Fields.Length != header.Length)
                throw new NablaInputException(
                    $"{source}: line {record.Line}: expected {header.Length} fields like the header (line {first.Line}); received {record.Fields.Length}.", source);
            CheckRoom(rows, perNumbers + perCodes, record, source);
            columns.Add(record, numbers, codes);
            if (options.Regression)
                targets.Add(ParseNumber<T>(record, target, header, source));
            else
            {
                CheckName(record.Fields[target], record, target, header, "class label", source);
                rowClasses.Add(classes.Add(record, target, header, source));
            }
            rows++;
        }
        if (rows == 0)
            throw new NablaInputException($"{source}: has a header (line {first.Line}) but no data rows; expected at least one sample.", source);

        var (featureMatrix, featureNames, encoded) = columns.Finish(rows, numbers, codes);
        if (options.Regression)
            return new Dataset<T>(featureMatrix, new Matrix<T>(rows, 1, [.. targets]), source) { FeatureNames = featureNames, TargetName = header[target], Columns = encoded };
        var (classNames, labels) = classes.Finish(rowClasses, header[target], source);
        CheckTargetRoom<T>(rows, classNames.Count, source);
        return new Dataset<T>(featureMatrix, labels, classNames, source) { FeatureNames = featureNames, TargetName = header[target], Columns = encoded };
    }

    private static Matrix<T> ReadInputs<T>(TextReader text, string source, IReadOnlyList<InputColumn>? known, int expectedFeatures, char delimiter, bool? hasHeader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var csv = new CsvReader(text, source, delimiter);
        var first = Catch(csv.Read, source) ?? throw Empty(source);
        bool header = hasHeader ?? LooksLikeHeader(first.Fields, known);
        var columns = CsvColumns.Inputs(header ? first.Fields : null, known, expectedFeatures, source);
        var numbers = new List<T>();
        var codes = new List<int>();
        int rows = 0;
        var (perNumbers, perCodes) = columns.PerRow;
        for (var record = header ? Catch(csv.Read, source) : first; record is not null; record = Catch(csv.Read, source))
        {
            if (record.Fields.Length != columns.RowWidth)
                throw new NablaInputException(
                    $"{source}: line {record.Line}: expected {columns.RowWidth} {(known?.Any(c => c.Categories is not null) == true ? "columns" : "features")}, as the model was trained on; received {record.Fields.Length} fields.", source);
            CheckRoom(rows, perNumbers + perCodes, record, source);
            columns.Add(record, numbers, codes);
            rows++;
        }
        if (rows == 0)
            throw new NablaInputException($"{source}: has a header (line {first.Line}) but no data rows; expected at least one sample.", source);
        var (features, _, _) = columns.Finish(rows, numbers, codes);
        if (features.Cols != expectedFeatures)
            throw new NablaInputException($"{source}: the columns give {features.Cols} features; the model expects {expectedFeatures}.", source);
        return features;
    }

    /// <summary>A first row that names every column the model takes, or that has text where a number belongs.</summary>
    private static bool LooksLikeHeader(string[] fields, IReadOnlyList<InputColumn>? known)
    {
        if (known is not null && known.All(c => fields.Contains(c.Name)))
            return true;
        bool Numeric(int i) => known is null || i >= known.Count || known[i].Categories is null;
        return fields.Where((f, i) => Numeric(i)).Any(f => !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
    }

    /// <summary>Opens a file as text (the encoding from its byte-order mark, else UTF-8), turning a missing one into a <see cref="NablaInputException"/>.</summary>
    private static StreamReader Open(string path)
    {
        if (Directory.Exists(path))
            throw new NablaInputException($"{path}: expected a CSV file; received a directory.", path);
        if (!File.Exists(path))
            throw new NablaInputException($"{path}: file not found; expected a CSV file.", path);
        return Catch(() => new StreamReader(path, detectEncodingFromByteOrderMarks: true), path);
    }

    /// <summary>Runs <paramref name="read"/>, turning a failure to read the file (as opposed to bad content) into a <see cref="NablaInputException"/>.</summary>
    private static TResult Catch<TResult>(Func<TResult> read, string source)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NablaInputException($"{source}: cannot read the CSV file: {e.Message}", source, e);
        }
    }

    private static NablaInputException Empty(string source) =>
        new($"{source}: the file is empty; expected a header row and data rows.", source);

    private static int TargetColumn(string[] header, string? label, string source, int line)
    {
        if (label is null)
            return header.Length - 1;
        int index = Array.IndexOf(header, label);
        if (index < 0)
            throw new NablaInputException(
                $"{source}: line {line} (header): expected a column named {Quoted.Value(label)}; the columns are {Quoted.List(header)}.", source);
        return index;
    }

    /// <summary>
    /// A class label or header name is kept (in the dataset and the model file) and printed (in reports, predictions
    /// and the terminal), so one that is too long or holds a character a terminal would act on is refused here,
    /// rather than when the model is saved or the name is shown.
    /// </summary>
    internal static void CheckName(string name, CsvRecord record, int column, string[]? header, string what, string source)
    {
        if (name.Length > MaxNameLength)
            throw new NablaInputException(
                $"{source}: line {record.Line}, {Column(column, header)}: expected a {what} of at most {MaxNameLength} characters; received {Quoted.Value(name)}.", source);
        if (SafeName.FirstForbidden(name) is var at and >= 0)
            throw new NablaInputException(
                $"{source}: line {record.Line}, {Column(column, header)}: expected a {what} without control characters (such as ESC, CR or LF), " +
                $"bidirectional overrides or unpaired surrogates; received {Quoted.Value(name)}, with U+{(int)name[at]:X4} at character {at + 1}.", source);
    }

    /// <summary>Refuses a row that would take the stored values (numbers and category codes) past the largest array, before it is stored.</summary>
    private static void CheckRoom(int rows, int cols, CsvRecord record, string source)
    {
        if ((long)(rows + 1) * cols > Array.MaxLength)
            throw new NablaInputException(
                $"{source}: line {record.Line}: expected at most {Array.MaxLength} feature values in all (the largest array); this row, with {cols} features, is one too many.", source);
    }

    /// <summary>
    /// A labelled file's one-hot targets hold rows × classes values, far more than the file: 15,000 short rows of 5,000
    /// classes (640 kB) need 286 MiB. They are checked against what the process may use before they are made.
    /// </summary>
    private static void CheckTargetRoom<T>(int rows, int classes, string source) where T : unmanaged
    {
        long values = (long)rows * classes, bytes = MemoryBudget.Times(values, Unsafe.SizeOf<T>());
        long most = Math.Min(Array.MaxLength, MemoryBudget.AvailableBytes / Unsafe.SizeOf<T>());
        if (values > most)
            throw new NablaInputException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: {rows:N0} rows of {classes:N0} classes need {values:N0} one-hot target values ({MemoryBudget.Format(bytes)}); expected at most {most:N0} (the largest array, or the memory this process may use). Fewer rows or classes need less."), source);
    }

    internal static T ParseNumber<T>(CsvRecord record, int column, string[]? header, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        string text = record.Fields[column];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new NablaInputException(
                $"{source}: line {record.Line}, {Column(column, header)}: expected a number; received {(text.Length == 0 ? "an empty field" : Quoted.Value(text))}.", source);
        T result = T.CreateChecked(value);
        if (!T.IsFinite(result))
            throw new NablaInputException(
                $"{source}: line {record.Line}, {Column(column, header)}: expected a finite number{(double.IsFinite(value) ? $" within the range of {typeof(T).Name}" : "")}; received {Quoted.Value(text)}.", source);
        return result;
    }

    /// <summary>"column 3 ('petal_length')", 1-based like the line numbers; no name when the header is shorter than the row.</summary>
    internal static string Column(int index, string[]? header) =>
        header is null || index >= header.Length ? $"column {index + 1}" : $"column {index + 1} ({Quoted.Value(header[index])})";
}
