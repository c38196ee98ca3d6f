using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Nabla.Cli.Commands;

namespace Nabla.Cli.Tests;

/// <summary>
/// FsCheck over the YAML config reader (<see cref="ConfigFile"/>, read as parser events since issue 13): a valid config
/// for <c>nabla train</c>, damaged by random edits of YAML's syntax (indicators, quotes, anchors, tags, flow brackets,
/// document markers, tabs, escape sequences, long runs), is either parsed, or refused as an input error
/// (<see cref="NablaInputException"/>, exit 3) or a usage error (<see cref="UsageException"/>, exit 2) whose message fits
/// a terminal; never any other exception.
/// </summary>
public class ConfigFilePropertyTests
{
    /// <summary>Damaged config files read.</summary>
    public const int Cases = 500;

    /// <summary>One edit: what to do, where (modulo the length), which piece, how many times.</summary>
    public sealed record Edit(int Kind, int Position, int Piece, int Count);

    private const string Valid = "# a run\nepochs: 30\nlearning-rate: 0.5\nlayers: [16, 8]\nnesterov: true\ndata: \"moons\"\nseed: 7\n";

    private static readonly string[] Pieces =
    [
        ":", " ", "\n", "\t", "-", "[", "]", "{", "}", ",", "#", "&a", "*a", "!!str", "!!map", "|", ">", "'", "\"", "?", "%YAML 1.2", "@", "`",
        "---", "...", "<<: *a", "\\u001b", "\u001b[2J", "\u202e", "\r", "\0", "epochs", "layers", "1e999", "-1", "null", "~", "[[[[", "x",
    ];

    private static readonly Gen<Edit[]> Edits =
        (from kind in Gen.Choose(0, 3)
         from position in Gen.Choose(0, int.MaxValue)
         from piece in Gen.Choose(0, Pieces.Length - 1)
         from count in Gen.Choose(1, 2000)
         select new Edit(kind, position, piece, count)).ArrayOf().Where(a => a.Length is > 0 and <= 5);

    private static string Apply(Edit[] edits)
    {
        var text = new StringBuilder(Valid);
        foreach (var e in edits)
        {
            int at = text.Length == 0 ? 0 : e.Position % text.Length;
            switch (e.Kind)
            {
                case 0 when text.Length > 0: text.Remove(at, Math.Min(1 + e.Count % 4, text.Length - at)); break;
                case 1: text.Insert(at, Pieces[e.Piece]); break;
                case 2: text.Insert(at, string.Concat(Enumerable.Repeat(Pieces[e.Piece], e.Count))); break; // a long run or deep nesting
                default: text.Length = at; break; // truncated
            }
        }
        return text.ToString();
    }

    [Fact]
    public void ADamagedConfigIsParsedOrRefusedAsAnInputOrUsageErrorThatFitsATerminal()
    {
        using var dir = new TempDirectory();
        string path = dir.File("run.yaml");
        var train = TrainCommand.Create(new CliContext(TextWriter.Null, TextWriter.Null, interactive: false));
        int parsed = 0, input = 0, usage = 0;

        void Read(string text)
        {
            File.WriteAllText(path, text);
            try
            {
                ConfigFile.Parse(path, train);
                parsed++;
            }
            catch (Exception e) when (e is NablaInputException or UsageException)
            {
                Messages.AssertBounded("error: " + e.Message + "\n");
                if (e is NablaInputException)
                    input++;
                else
                    usage++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name} from the config {Quote(text)}: {e}");
            }
        }

        Read(Valid);
        Assert.Equal(1, parsed);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Cases), Prop.ForAll(Edits.ToArbitrary(), edits => Read(Apply(edits))));
        Assert.Equal(Cases + 1, parsed + input + usage);
        // The edits reach every outcome: some files still parse, and both kinds of refusal happen.
        Assert.True(parsed > 1 && input > Cases / 10 && usage > Cases / 20, $"parsed {parsed}, input errors {input}, usage errors {usage}");
    }

    private static string Quote(string text) =>
        text.Length > 300 ? Quote(text[..300]) + "…" : string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
