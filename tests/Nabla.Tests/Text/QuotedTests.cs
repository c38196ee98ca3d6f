using Nabla.Text;

namespace Nabla.Tests.Text;

public class QuotedTests
{
    [Fact]
    public void PlainTextIsQuotedUnchanged()
    {
        Assert.Equal("'cat'", Quoted.Value("cat"));
        Assert.Equal("''", Quoted.Value(""));
        Assert.Equal("'O'Brien \\ é 日本 👍'", Quoted.Value("O'Brien \\ é 日本 👍"));
    }

    public static TheoryData<string, string> Hostile => new()
    {
        { "\u001b[31mred\u001b[0m", "'\\u001b[31mred\\u001b[0m'" },      // ANSI colour (ESC)
        { "a\rb\nc\td\0", "'a\\u000db\\u000ac\\u0009d\\u0000'" },         // CR, LF, tab, NUL
        { "x\u007f\u0085\u009b2J", "'x\\u007f\\u0085\\u009b2J'" },        // DEL, NEL, C1 CSI
        { "abc\u202Egpj.exe", "'abc\\u202egpj.exe'" },                   // right-to-left override
        { "\u2066a\u2069\u200b\u2028\u2029", "'\\u2066a\\u2069\\u200b\\u2028\\u2029'" }, // isolates, zero width, separators
        { "hi\U000E0041\U000E0042", "'hi\\U000e0041\\U000e0042'" },      // invisible tag characters
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void ControlFormatAndBidiCharactersAreEscapedVisibly(string text, string expected)
    {
        string quoted = Quoted.Value(text);
        Assert.Equal(expected, quoted);
        Assert.DoesNotContain(quoted, c => char.IsControl(c) || char.IsSurrogate(c) || c is >= '\u2000' and <= '\u206f' && c != '…');
    }

    [Fact]
    public void AnUnpairedSurrogateIsEscaped()
    {
        // Not theory data: xUnit's serialization of test cases would replace the lone surrogate.
        Assert.Equal("'lone\\ud800high\\udc00'", Quoted.Value("lone\ud800high\udc00"));
    }

    [Fact]
    public void LongTextIsCutWithItsLength()
    {
        Assert.Equal($"'{new string('n', 80)}'", Quoted.Value(new string('n', 80)));
        Assert.Equal($"'{new string('n', 80)}…' (81 characters)", Quoted.Value(new string('n', 81)));
        Assert.Equal("'abc…' (6 characters)", Quoted.Value("abcdef", maxLength: 3));
    }

    [Fact]
    public void TheBoundCountsEscapesAndNeverSplitsOneOrAPair()
    {
        // 50 ESCs would be 300 characters escaped: only whole escapes within 80 are shown.
        Assert.Equal($"'{string.Concat(Enumerable.Repeat("\\u001b", 13))}…' (50 characters)", Quoted.Value(new string('\u001b', 50)));
        // An emoji is two UTF-16 units: at a bound of 3 the second one does not fit whole.
        Assert.Equal("'a👍…' (5 characters)", Quoted.Value("a👍👍", maxLength: 3));
    }

    [Fact]
    public void AListShowsWhatFitsInItsBudgetAndCountsTheRest()
    {
        Assert.Equal("'a', 'b'", Quoted.List(["a", "b"]));
        var many = Enumerable.Range(0, 10_000).Select(i => $"class{i}").ToArray();
        string list = Quoted.List(many);
        Assert.StartsWith("'class0', 'class1', ", list);
        Assert.EndsWith(" more", list);
        Assert.InRange(list.Length, 200, 260);
        int shown = list.Split(", ").Length;
        Assert.EndsWith($" and {10_000 - shown} more", list);
        // The first value is always shown, however long.
        Assert.StartsWith($"'{new string('x', 80)}…' (1000 characters) and 1 more", Quoted.List([new string('x', 1000), "y"], budget: 10));
    }

    [Fact]
    public void AMessageIsEscapedAndCutWithoutQuotes()
    {
        Assert.Equal("The JSON property 'a\\u001b' could not be mapped", Quoted.Message("The JSON property 'a\u001b' could not be mapped"));
        Assert.Equal("xxxxx… (1000 characters)", Quoted.Message(new string('x', 1000), maxLength: 5));
    }
}
