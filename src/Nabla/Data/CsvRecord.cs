namespace Nabla.Data;

/// <summary>One parsed CSV record: its fields and the 1-based line it starts on.</summary>
internal sealed record CsvRecord(int Line, string[] Fields);
