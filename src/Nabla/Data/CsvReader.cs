using System.Text;

namespace Nabla.Data;

/// <summary>
/// Splits CSV text into records (RFC 4180): fields separated by commas; a field may be quoted with
/// double quotes, inside which commas, line breaks and doubled quotes (<c>""</c>) are literal.
/// Unquoted fields are trimmed; blank lines are skipped. Line breaks may be LF or CRLF.
/// </summary>
internal static class CsvReader
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    public static List<CsvRecord> Parse(string text, string source)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        var field = new StringBuilder();
        int line = 1, recordLine = 1;
        bool quoted = false, wasQuoted = false, recordHasContent = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                        quoted = false;
                }
                else
                {
                    if (c == '\n')
                        line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.ToString().Trim().Length == 0 && !wasQuoted:
                    field.Clear();
                    quoted = wasQuoted = recordHasContent = true;
                    break;
                case '"':
                    throw new NablaInputException(
                        $"{source}: line {line}: expected a quote only at the start of a field; received one inside \"{field}\".", source);
                case ',':
                    fields.Add(Finish(field, wasQuoted));
                    wasQuoted = false;
                    recordHasContent = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    EndRecord();
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (wasQuoted)
                    {
                        if (!char.IsWhiteSpace(c))
                            throw new NablaInputException(
                                $"{source}: line {line}: expected a comma or the end of the line after a quoted field; received '{c}'.", source);
                        break;
                    }
                    field.Append(c);
                    if (!char.IsWhiteSpace(c))
                        recordHasContent = true;
                    break;
            }
        }
        if (quoted)
            throw new NablaInputException($"{source}: line {recordLine}: a quoted field is never closed; expected a closing '\"' before the end of the file.", source);
        EndRecord();
        return records;

        void EndRecord()
        {
            if (recordHasContent)
            {
                fields.Add(Finish(field, wasQuoted));
                records.Add(new CsvRecord(recordLine, fields.ToArray()));
            }
            fields.Clear();
            field.Clear();
            wasQuoted = recordHasContent = false;
        }
    }

    private static string Finish(StringBuilder field, bool wasQuoted)
    {
        string value = wasQuoted ? field.ToString() : field.ToString().Trim();
        field.Clear();
        return value;
    }
}
