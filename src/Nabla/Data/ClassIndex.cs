using System.Globalization;
using Nabla.Text;

namespace Nabla.Data;

/// <summary>
/// The classes of a labelled CSV file, collected as its rows are read: either a model's classes,
/// where a label outside them is an error, or the labels found, in order of first appearance, at most
/// <see cref="CsvLoader.MaxClasses"/> of them. Each row keeps only its class number, not its text.
/// </summary>
internal sealed class ClassIndex
{
    private readonly IReadOnlyList<string>? _known;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _found = [];

    /// <summary>Maps labels onto <paramref name="known"/> (a model's classes, in its order), or discovers them when it is null.</summary>
    public ClassIndex(IReadOnlyList<string>? known)
    {
        _known = known;
        for (int k = 0; k < (known?.Count ?? 0); k++)
            _index[known![k]] = k;
    }

    /// <summary>The class number of <paramref name="record"/>'s label in <paramref name="column"/>: its index among the known classes, or the order in which it was first found.</summary>
    public int Add(CsvRecord record, int column, string[] header, string source)
    {
        string label = record.Fields[column];
        if (_index.TryGetValue(label, out int k))
            return k;
        if (_known is not null)
            throw new NablaInputException(
                $"{source}: line {record.Line}, {CsvLoader.Column(column, header)}: expected one of the classes the model knows ({Quoted.List(_known)}); received {Quoted.Value(label)}.", source);
        if (_found.Count == CsvLoader.MaxClasses)
            throw new NablaInputException(
                $"{source}: line {record.Line}, {CsvLoader.Column(column, header)}: expected at most {CsvLoader.MaxClasses} distinct classes; " +
                $"the label {Quoted.Value(label)} is one more (for a numeric target, use regression).", source);
        _index.Add(label, _found.Count);
        _found.Add(label);
        return _found.Count - 1;
    }

    /// <summary>
    /// The class names and each row's label. Discovered classes are ordered numerically when every
    /// label is an integer and by ordinal string order otherwise; <paramref name="rows"/> (the numbers
    /// <see cref="Add"/> returned) are renumbered to match.
    /// </summary>
    public (IReadOnlyList<string> Names, int[] Labels) Finish(List<int> rows, string column, string source)
    {
        if (_known is not null)
            return (_known, [.. rows]);
        if (_found.Count < 2)
            throw new NablaInputException(
                $"{source}: column {Quoted.Value(column)}: expected at least two classes to classify; received the single class {Quoted.Value(_found[0])} in all {rows.Count} rows (for a numeric target, use regression).", source);
        bool integers = _found.All(l => long.TryParse(l, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        // OrderBy is stable, so labels equal as numbers ("1", "01") keep the order they were found in.
        int[] order = integers
            ? [.. Enumerable.Range(0, _found.Count).OrderBy(k => long.Parse(_found[k], CultureInfo.InvariantCulture))]
            : [.. Enumerable.Range(0, _found.Count).OrderBy(k => _found[k], StringComparer.Ordinal)];
        var renumber = new int[order.Length];
        for (int i = 0; i < order.Length; i++)
            renumber[order[i]] = i;
        return ([.. order.Select(k => _found[k])], [.. rows.Select(k => renumber[k])]);
    }
}
