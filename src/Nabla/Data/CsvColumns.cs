using System.Globalization;
using System.Numerics;
using Nabla.Tensors;
using Nabla.Text;

namespace Nabla.Data;

/// <summary>
/// Which fields of a CSV file's rows become features, and how: each chosen column is a number, or text one-hot
/// encoded over its categories. Columns are chosen by name (<see cref="CsvOptions.Features"/>,
/// <see cref="CsvOptions.Drop"/>, or a model's <see cref="CsvOptions.Columns"/>, which also fixes each text column's
/// categories) or, without names, by position. A column a model does not fix is text when its first value is a name
/// rather than a number. While reading, each row adds its numbers and its category codes to two growing lists; the
/// feature matrix is laid out once the categories are known.
/// </summary>
internal sealed class CsvColumns
{
    private readonly string _source;
    private readonly string[]? _header;
    private readonly int[] _fields;
    private readonly string[] _names;
    private readonly Categories?[] _categories;
    private bool _classified;

    private CsvColumns(string source, string[]? header, int[] fields, IReadOnlyList<InputColumn>? known)
    {
        _source = source;
        _header = header;
        _fields = fields;
        _names = [.. fields.Select((f, i) => known?[i].Name ?? header?[f] ?? $"column {f + 1}")];
        _categories = [.. fields.Select((_, i) => known?[i].Categories is { } c ? new Categories(c) : null)];
        _classified = known is not null;
    }

    /// <summary>The number of fields a row must have.</summary>
    public int RowWidth { get; private init; }

    /// <summary>
    /// The feature columns of a labelled file with <paramref name="header"/>: a model's columns, else <c>--features</c>,
    /// else every column but the target and those dropped.
    /// </summary>
    /// <exception cref="NablaInputException">A named column is not in the header, is the target, or is given twice.</exception>
    public static CsvColumns Labelled(string[] header, int target, CsvOptions options, string source, int line)
    {
        if (options.Columns is { } known)
        {
            if (known.All(c => Array.IndexOf(header, c.Name) is var at && at >= 0 && at != target))
                return new CsvColumns(source, header, Find(header, [.. known.Select(c => c.Name)], target, "the model's column", source, line), known) { RowWidth = header.Length };
            // Other names: the columns besides the target, in order, must be the model's.
            int[] others = [.. Enumerable.Range(0, header.Length).Where(c => c != target)];
            if (others.Length != known.Count)
                throw new NablaInputException(
                    $"{source}: line {line} (header): expected the model's columns {Quoted.List([.. known.Select(c => c.Name)])} by name, or {known.Count} columns besides the target {Quoted.Value(header[target])}; received {Quoted.List(header)}.", source);
            return new CsvColumns(source, header, others, known) { RowWidth = header.Length };
        }
        if (options.Features is { } features)
            return new CsvColumns(source, header, Find(header, features, target, "a feature column", source, line), null) { RowWidth = header.Length };
        var drop = options.Drop is { } dropped ? Find(header, dropped, target, "a column to drop", source, line).ToHashSet() : [];
        int[] rest = [.. Enumerable.Range(0, header.Length).Where(c => c != target && !drop.Contains(c))];
        if (rest.Length == 0)
            throw new NablaInputException(
                $"{source}: line {line} (header): expected at least one feature column besides the target {Quoted.Value(header[target])}; received none{(drop.Count > 0 ? " after the dropped ones" : "")}.", source);
        return new CsvColumns(source, header, rest, null) { RowWidth = header.Length };
    }

    /// <summary>
    /// The feature columns of a features-only file (prediction input) for a model that takes <paramref name="known"/>
    /// (or, when its columns are unnamed, <paramref name="count"/> numbers): by name when <paramref name="header"/> has
    /// every one, else by position (the rows then hold exactly those columns).
    /// </summary>
    public static CsvColumns Inputs(string[]? header, IReadOnlyList<InputColumn>? known, int count, string source)
    {
        if (header is not null && known is not null && known.All(c => header.Contains(c.Name)))
            return new CsvColumns(source, header, [.. known.Select(c => Array.IndexOf(header, c.Name))], known) { RowWidth = header.Length };
        int width = known?.Count ?? count;
        return new CsvColumns(source, header, [.. Enumerable.Range(0, width)], known ?? [.. Enumerable.Range(0, count).Select(i => new InputColumn { Name = $"column {i + 1}" })])
        {
            RowWidth = width,
        };
    }

    /// <summary>How many numbers and category codes each row adds.</summary>
    public (int Numbers, int Codes) PerRow => (_categories.Count(c => c is null), _categories.Count(c => c is not null));

    /// <summary>
    /// Adds <paramref name="record"/>'s chosen fields: numbers to <paramref name="numbers"/>, category codes to
    /// <paramref name="codes"/>. The first row decides which unfixed columns are text.
    /// </summary>
    /// <exception cref="NablaInputException">A number does not parse, a category is not one the model knows, or a text column has too many categories.</exception>
    public void Add<T>(CsvRecord record, List<T> numbers, List<int> codes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!_classified)
        {
            for (int i = 0; i < _fields.Length; i++)
                if (IsName(record.Fields[_fields[i]]))
                    _categories[i] = new Categories(null);
            _classified = true;
        }
        for (int i = 0; i < _fields.Length; i++)
        {
            int field = _fields[i];
            if (_categories[i] is { } categories)
                codes.Add(categories.Add(record, field, _header, _names[i], _source));
            else
                numbers.Add(CsvLoader.ParseNumber<T>(record, field, _header, _source));
        }
    }

    /// <summary>
    /// The feature matrix of <paramref name="rows"/> rows from what <see cref="Add"/> collected, the feature names, and
    /// the columns when one of them is text (null otherwise).
    /// </summary>
    /// <exception cref="NablaInputException">The one-hot features would pass the largest array.</exception>
    public (Matrix<T> Features, string[] Names, InputColumn[]? Columns) Finish<T>(int rows, List<T> numbers, List<int> codes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var columns = _names.Select((name, i) => new InputColumn { Name = name, Categories = _categories[i]?.Finish(codes, i, _categories) }).ToArray();
        int width = columns.Sum(c => c.Width);
        if ((long)rows * width > Array.MaxLength)
            throw new NablaInputException($"{_source}: {rows} rows of {width} features (text columns one-hot encoded) pass the largest array ({Array.MaxLength} values); drop a text column with many categories.", _source);
        var features = new Matrix<T>(rows, width);
        var (perNumbers, perCodes) = PerRow;
        for (int r = 0; r < rows; r++)
        {
            var row = features.Row(r);
            int at = 0, number = r * perNumbers, code = r * perCodes;
            foreach (var column in columns)
            {
                if (column.Categories is null)
                    row[at++] = numbers[number++];
                else
                {
                    row[at + codes[code++]] = T.One;
                    at += column.Width;
                }
            }
        }
        return (features, [.. columns.SelectMany(c => c.FeatureNames)], columns.Any(c => c.Categories is not null) ? columns : null);
    }

    /// <summary>True for a value that can be a category: not a number, and a name Nabla can keep.</summary>
    private static bool IsName(string value) =>
        value.Length > 0 && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && SafeName.Problem(value) is null;

    /// <summary>The header positions of <paramref name="names"/>, each once and none the target.</summary>
    private static int[] Find(string[] header, IReadOnlyList<string> names, int target, string what, string source, int line)
    {
        var found = new List<int>();
        foreach (string name in names)
        {
            int index = Array.IndexOf(header, name);
            if (index < 0)
                throw new NablaInputException($"{source}: line {line} (header): expected {what} named {Quoted.Value(name)}; the columns are {Quoted.List(header)}.", source);
            if (index == target)
                throw new NablaInputException($"{source}: line {line} (header): {Quoted.Value(name)} is the target column; it cannot also be {what}.", source);
            if (found.Contains(index))
                throw new NablaInputException($"{source}: line {line} (header): {Quoted.Value(name)} is named twice as {what}.", source);
            found.Add(index);
        }
        return [.. found];
    }

    /// <summary>The categories of one text column: a model's (fixed), or those found, at most <see cref="CsvLoader.MaxCategories"/>.</summary>
    private sealed class Categories(IReadOnlyList<string>? known)
    {
        private readonly Dictionary<string, int> _index = known?.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal) ?? new(StringComparer.Ordinal);
        private readonly List<string> _found = [];

        public int Add(CsvRecord record, int field, string[]? header, string name, string source)
        {
            string value = record.Fields[field];
            if (_index.TryGetValue(value, out int code))
                return code;
            if (known is not null)
                throw new NablaInputException(
                    $"{source}: line {record.Line}, {CsvLoader.Column(field, header)}: expected one of the categories the model knows for {Quoted.Value(name)} ({Quoted.List(known)}); received {Quoted.Value(value)}.", source);
            if (value.Length == 0)
                throw new NablaInputException($"{source}: line {record.Line}, {CsvLoader.Column(field, header)}: expected a category (the column holds text); received an empty field.", source);
            CsvLoader.CheckName(value, record, field, header, "category", source);
            if (_found.Count == CsvLoader.MaxCategories)
                throw new NablaInputException(
                    $"{source}: line {record.Line}, {CsvLoader.Column(field, header)}: expected at most {CsvLoader.MaxCategories} categories in a text column; " +
                    $"{Quoted.Value(value)} is one more. Is it an identifier? Leave it out with --drop.", source);
            _index.Add(value, _found.Count);
            _found.Add(value);
            return _found.Count - 1;
        }

        /// <summary>The categories in ordinal order, renumbering this column's codes (column <paramref name="column"/> of <paramref name="all"/>) to match.</summary>
        public IReadOnlyList<string> Finish(List<int> codes, int column, Categories?[] all)
        {
            if (known is not null)
                return known;
            int[] order = [.. Enumerable.Range(0, _found.Count).OrderBy(k => _found[k], StringComparer.Ordinal)];
            var renumber = new int[order.Length];
            for (int i = 0; i < order.Length; i++)
                renumber[order[i]] = i;
            int stride = all.Count(c => c is not null), offset = all.Take(column).Count(c => c is not null);
            for (int at = offset; at < codes.Count; at += stride)
                codes[at] = renumber[codes[at]];
            return [.. order.Select(k => _found[k])];
        }
    }
}
