using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Nabla.Data;
using Nabla.Init;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Models;
using Nabla.Serialization;
using Nabla.Tensors;
using Nabla.Tests.Text;

namespace Nabla.Tests.Serialization;

/// <summary>
/// FsCheck over a model file's metadata, the architecture JSON: for every layer kind Nabla registers (found in
/// <see cref="LayerKinds.All"/>, so a kind added later is fuzzed without touching this test), a valid model holding it
/// has its JSON mutated (values replaced by nulls, strings, huge, negative or fractional numbers, nested arrays,
/// escape sequences; keys deleted or added; kinds swapped) while its tensors stay. Loading must either succeed, and the
/// model then runs, or fail with a <see cref="NablaInputException"/> whose message fits a terminal; nothing else.
/// </summary>
public class ModelMetadataPropertyTests
{
    /// <summary>Mutated model files per layer kind.</summary>
    public const int CasesPerKind = 200;

    /// <summary>One mutation: which node of the JSON tree (modulo their number), what to do, and which value to use.</summary>
    public sealed record Mutation(int Node, int Kind, int Value);

    private static readonly Gen<Mutation[]> Mutations =
        (from node in Gen.Choose(0, int.MaxValue)
         from kind in Gen.Choose(0, 4)
         from value in Gen.Choose(0, int.MaxValue)
         select new Mutation(node, kind, value)).ArrayOf().Where(a => a.Length is > 0 and <= 4);

    /// <summary>Values a hostile or careless writer might put anywhere.</summary>
    private static readonly Func<JsonNode?>[] Values =
    [
        () => null, () => true, () => false, () => "", () => "Linear", () => "\u001b[2J\u001b[31mred", () => new string('n', 5000),
        () => 0, () => -1, () => 1, () => 2, () => 0.5, () => -0.1, () => 5, () => 2147483647, () => 2147483648L, () => -2147483649L,
        () => 1e18, () => 1e308, () => -1e308, () => 5e-324, () => 1e-320,
        () => new JsonArray(), () => new JsonObject(), () => new JsonArray(1, 2, 3), () => new JsonArray(new JsonArray(new JsonArray(1))),
        () => new JsonArray(0, 0), () => new JsonArray(-3, 4), () => new JsonArray(2147483647, 2147483647), () => new JsonArray((JsonNode?)null),
        () => new JsonArray([.. Enumerable.Range(0, 100).Select(i => (JsonNode?)i)]),
    ];

    /// <summary>Nabla's own kinds: those a test registers may be deliberately partial.</summary>
    public static TheoryData<string> Kinds => [.. LayerKinds.All.Where(k => k.GetType().Assembly == typeof(LayerKind).Assembly).Select(k => k.Name)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AMutatedArchitectureLoadsAndRunsOrIsAnInputError(string kindName)
    {
        using var dir = new TempDirectory();
        string path = dir.File("model.safetensors");
        var (architecture, model) = Seed(LayerKinds.Get(kindName));
        var tensors = model.NamedTensors.Select(t => t.Tensor switch
        {
            Parameter<float> p => SafeTensor.FromFloat32(t.Name, [.. t.Tensor.FileShape], p.Value.Span),
            Nabla.Layers.Buffer<float> b => SafeTensor.FromFloat32(t.Name, [.. t.Tensor.FileShape], b.Values),
            Counter c => SafeTensor.FromInt64(t.Name, [.. t.Tensor.FileShape], [c.Value]),
            _ => throw new InvalidOperationException(t.Tensor.GetType().Name),
        }).ToList();
        string json = architecture.ToJson();
        int loaded = 0, refused = 0;
        var kindNames = LayerKinds.All.Select(k => k.Name).ToArray();

        void Load(Mutation[] mutations)
        {
            var root = JsonNode.Parse(json)!;
            foreach (var m in mutations)
                root = Mutate(root, m, kindNames);
            File.WriteAllBytes(path, SafeTensorsFile.Serialize(tensors, new Dictionary<string, string> { [Architecture.MetadataKey] = root.ToJsonString(), ["format"] = "pt" }));
            (Sequential<float> Model, Architecture Architecture) read;
            try
            {
                read = ModelFile.Load<float>(path);
            }
            catch (NablaInputException e)
            {
                MessageAssert.FitsATerminal(e);
                refused++;
                return;
            }
            // What loads must run: two samples of the shape the file declares.
            var output = read.Model.Forward(new Matrix<float>(2, read.Architecture.Inputs), training: false);
            Assert.Equal(read.Architecture.Outputs, output.Cols);
            loaded++;
        }

        Load([]);
        Assert.Equal(1, loaded);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(CasesPerKind), Prop.ForAll(Mutations.ToArbitrary(), Load));
        Assert.Equal(CasesPerKind + 1, loaded + refused);
        Assert.True(refused > CasesPerKind / 4, $"{kindName}: only {refused} of {CasesPerKind} mutations were refused; the mutations do not reach the reader's checks");
    }

    /// <summary>
    /// A small valid model that holds <paramref name="kind"/>, found from its options alone: its required options get
    /// small values, and it is tried on a feature row or an image, alone, before a Linear(2), or before Flatten and Linear(2).
    /// Every metadata field comes along where the outputs and inputs allow (classes or a target scaling, the target, what was
    /// held out, and feature names, text columns and a scaling, or a pixel scale), so their fields are mutated too.
    /// </summary>
    private static (Architecture Architecture, Sequential<float> Model) Seed(LayerKind kind)
    {
        var required = kind.Options.Skip(kind.InferredOptions).Where(o => o.Default is null).Select(o => o.Type switch
        {
            OptionType.Int => OptionValue.Of(3),
            OptionType.Real => OptionValue.Of(0.5),
            OptionType.Bool => OptionValue.Of(true),
            _ => OptionValue.Of(2, 2),
        }).ToList();
        var spec = kind.Spell(required, []);
        var linear = NetworkSpelling.Parse("Linear(2)");
        IReadOnlyList<LayerSpec>[] tails = LayerKinds.TryGet("Flatten", out var flatten)
            ? [[], linear, [flatten.Spell([], []), .. linear]]
            : [[], linear];
        foreach (var input in new[] { SampleShape.Features(4), SampleShape.Image(2, 6, 6) })
            foreach (var tail in tails)
            {
                Architecture architecture;
                try
                {
                    architecture = Architecture.FromLayers(input, [spec, .. tail], "mse", null);
                }
                catch (ArgumentException)
                {
                    continue;
                }
                architecture = architecture.Outputs == 2
                    ? architecture with { Loss = "cross-entropy", ClassNames = ["cat", "dog"] }
                    : architecture with { TargetScaling = new Scaling(ScalingKind.Standard, [.. Enumerable.Range(0, architecture.Outputs).Select(i => (double)i)], [.. Enumerable.Range(1, architecture.Outputs).Select(i => (double)i)]) };
                architecture = architecture with
                {
                    Target = "y",
                    HeldOut = new HeldOut { Seed = 7, ValidationFraction = 0.2, TestFraction = 0.1, Rows = 100, Sha256 = new string('a', 64) },
                };
                architecture = input.IsImage
                    ? architecture with { PixelScale = 255 }
                    : architecture with
                    {
                        Columns = [new InputColumn { Name = "a" }, new InputColumn { Name = "b", Categories = ["x", "y", "z"] }],
                        FeatureNames = ["a", "b=x", "b=y", "b=z"],
                        Scaling = new Scaling(ScalingKind.Standard, [0, 1, 2, 3], [1, 2, 3, 4]),
                    };
                return (architecture, architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(1)));
            }
        Assert.Fail($"No small network holds {kind.Name} with its required options set to small values; add one to {nameof(ModelMetadataPropertyTests)}.{nameof(Seed)}.");
        return default;
    }

    /// <summary>Applies <paramref name="m"/> to a node of <paramref name="root"/>; returns the new root (the root itself may be replaced).</summary>
    private static JsonNode Mutate(JsonNode root, Mutation m, string[] kinds)
    {
        var nodes = new List<JsonNode>();
        void Walk(JsonNode? node)
        {
            if (node is null)
                return;
            nodes.Add(node);
            if (node is JsonObject o)
                foreach (var (_, child) in o.ToList())
                    Walk(child);
            else if (node is JsonArray a)
                foreach (var child in a.ToList())
                    Walk(child);
        }
        Walk(root);
        var target = nodes[m.Node % nodes.Count];
        var value = Values[m.Value % Values.Length]();
        var parent = target.Parent;
        switch (m.Kind)
        {
            case 0 when parent is JsonObject o: // replace a value
                o[target.GetPropertyName()] = value;
                break;
            case 0 when parent is JsonArray a:
                a[target.GetElementIndex()] = value;
                break;
            case 1 when parent is JsonObject o: // delete a key
                o.Remove(target.GetPropertyName());
                break;
            case 1 when parent is JsonArray a: // delete an element
                a.RemoveAt(target.GetElementIndex());
                break;
            case 2 when target is JsonObject o: // add a key, known elsewhere or not
                o[(m.Value % 3) switch { 0 => "kind", 1 => "p", _ => "x" + m.Value % 7 }] = (m.Value % 3) == 0 ? kinds[m.Value % kinds.Length] : Values[m.Value / 3 % Values.Length]();
                break;
            case 2 when target is JsonArray a: // add an element
                a.Add(value);
                break;
            case 3 when target is JsonObject o && o.ContainsKey("kind"): // another kind, same options
                o["kind"] = kinds[m.Value % kinds.Length];
                break;
            case 4 when target is JsonValue v && v.TryGetValue(out double number): // a nearby or extreme number
                double near = (m.Value % 5) switch { 0 => number * 2, 1 => -number, 2 => number + 0.5, 3 => number * 1e300, _ => 0 };
                var changed = JsonValue.Create(double.IsFinite(near) ? near : Math.CopySign(double.MaxValue, near)); // JSON has no infinity
                if (parent is JsonObject po)
                    po[target.GetPropertyName()] = changed;
                else if (parent is JsonArray pa)
                    pa[target.GetElementIndex()] = changed;
                break;
            default:
                return parent is null && m.Kind == 0 ? value ?? JsonValue.Create("null")! : root;
        }
        return root;
    }
}
