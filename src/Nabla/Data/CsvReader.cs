using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Nabla.Text;

namespace Nabla.Data;

/// <summary>
/// Splits CSV text into records (RFC 4180), one at a time: fields separated by the delimiter (a comma unless
/// told otherwise); a field may be quoted with double quotes, inside which delimiters, line breaks and doubled
/// quotes (<c>""</c>) are literal. Unquoted fields are trimmed; blank lines are skipped. Line breaks may be LF or CRLF.
/// </summary>
/// <remarks>
/// Only the record being read is held, and a field longer than <see cref="CsvLoader.MaxFieldLength"/>
/// characters or a record of more than <see cref="CsvLoader.MaxFieldsPerRow"/> fields is an input
/// error as soon as the limit is passed, so a hostile file cannot make it hold more than that.
/// </remarks>
internal sealed class CsvReader
{
    private static readonly SearchValues<char> CommaSpecials = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<char> QuotedSpecials = SearchValues.Create("\"\n");

    private readonly TextReader _reader;
    private readonly string _source;
    private readonly char _delimiter;
    private readonly SearchValues<char> _specials;

    private readonly char[] _buffer = new char[1 << 14];
    private readonly List<string> _fields = [];
    private readonly StringBuilder _field = new();
    private int _position, _length, _line = 1;

    /// <summary>Reads <paramref name="reader"/>, named <paramref name="source"/> in errors, splitting fields at <paramref name="delimiter"/>.</summary>
    /// <exception cref="ArgumentException">The delimiter is a quote or a line break.</exception>
    public CsvReader(TextReader reader, string source, char delimiter = ',')
    {
        if (delimiter is '"' or '\r' or '\n')
            throw new ArgumentException($"Expected a field delimiter other than a quote or a line break; received U+{(int)delimiter:X4}.", nameof(delimiter));
        _reader = reader;
        _source = source;
        _delimiter = delimiter;
        _specials = delimiter == ',' ? CommaSpecials : SearchValues.Create([delimiter, '"', '\r', '\n']);
    }

    /// <summary>The next non-blank record, or null at the end of the text.</summary>
    public CsvRecord? Read()
    {
        int recordLine = _line;
        bool quoted = false, wasQuoted = false, fieldHasContent = false, recordHasContent = false;
        _fields.Clear();
        _field.Clear();
        for (; ; )
        {
            // Ordinary characters are copied a run at a time; only the ones that mean something go through the switch.
            if (quoted)
                AppendRun(QuotedSpecials, recordLine);
            else if (!wasQuoted && AppendRun(_specials, recordLine))
                fieldHasContent = recordHasContent = true;
            int next = Next();
            if (next < 0)
            {
                if (quoted)
                    throw new NablaInputException($"{_source}: line {recordLine}: a quoted field is never closed; expected a closing '\"' before the end of the file.", _source);
                return recordHasContent ? EndRecord(recordLine, wasQuoted) : null;
            }
            char c = (char)next;
            if (quoted)
            {
                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        Next();
                        Append(c, recordLine);
                    }
                    else
                        quoted = false;
                }
                else
                {
                    if (c == '\n')
                        _line++;
                    Append(c, recordLine);
                }
                continue;
            }
            switch (c)
            {
                case '"' when !fieldHasContent && !wasQuoted:
                    _field.Clear();
                    quoted = wasQuoted = recordHasContent = true;
                    break;
                case '"':
                    throw new NablaInputException(
                        $"{_source}: line {_line}: expected a quote only at the start of a field; received one inside {Quoted.Value(_field.ToString())}.", _source);
                case var d when d == _delimiter:
                    AddField(wasQuoted, recordLine);
                    wasQuoted = fieldHasContent = false;
                    recordHasContent = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    _line++;
                    if (recordHasContent)
                        return EndRecord(recordLine, wasQuoted);
                    recordLine = _line;
                    _field.Clear();
                    break;
                default:
                    if (wasQuoted)
                    {
                        if (!char.IsWhiteSpace(c))
                            throw new NablaInputException(
                                $"{_source}: line {_line}: expected {(_delimiter == ',' ? "a comma" : $"the delimiter {Quoted.Value(_delimiter.ToString())}")} or the end of the line after a quoted field; received {Quoted.Value(c.ToString())}.", _source);
                        break;
                    }
                    Append(c, recordLine);
                    if (!char.IsWhiteSpace(c))
                        fieldHasContent = recordHasContent = true;
                    break;
            }
        }
    }

    private CsvRecord EndRecord(int recordLine, bool wasQuoted)
    {
        AddField(wasQuoted, recordLine);
        return new CsvRecord(recordLine, [.. _fields]);
    }

    private void AddField(bool wasQuoted, int recordLine)
    {
        if (_fields.Count == CsvLoader.MaxFieldsPerRow)
            throw new NablaInputException(
                $"{_source}: line {recordLine}: expected at most {CsvLoader.MaxFieldsPerRow} fields in a row; received more.", _source);
        _fields.Add(wasQuoted ? _field.ToString() : _field.ToString().Trim());
        _field.Clear();
    }

    private void Append(char c, int recordLine)
    {
        if (_field.Length == CsvLoader.MaxFieldLength)
            throw FieldTooLong(recordLine, [c]);
        _field.Append(c);
    }

    /// <summary>Appends the buffered characters up to the next of <paramref name="specials"/>; true if any of them is not white space.</summary>
    private bool AppendRun(SearchValues<char> specials, int recordLine)
    {
        var rest = _buffer.AsSpan(_position, _length - _position);
        int end = rest.IndexOfAny(specials);
        var run = end < 0 ? rest : rest[..end];
        if (run.IsEmpty)
            return false;
        if (_field.Length + run.Length > CsvLoader.MaxFieldLength)
            throw FieldTooLong(recordLine, run);
        _field.Append(run);
        _position += run.Length;
        return !run.IsWhiteSpace();
    }

    private NablaInputException FieldTooLong(int recordLine, ReadOnlySpan<char> next)
    {
        const int shown = 20;
        string start = string.Concat(_field.ToString(0, Math.Min(_field.Length, shown)), next[..Math.Min(next.Length, shown)])[..shown];
        return new NablaInputException(
            $"{_source}: line {recordLine}, field {_fields.Count + 1}: expected at most {CsvLoader.MaxFieldLength} characters in a field; " +
            $"received more, starting with {Quoted.Value(start, maxLength: 6 * shown)}.", _source); // room for every character escaped
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Next() => _position < _length || Fill() ? _buffer[_position++] : -1;

    private int Peek() => _position < _length || Fill() ? _buffer[_position] : -1;

    private bool Fill()
    {
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
