namespace Nabla.Onnx;

/// <summary>
/// An ONNX model file (<c>ModelProto</c> of onnx/onnx's <c>onnx.proto</c>): the IR version, the operator sets, the
/// producer, the graph and string metadata. <see cref="ToBytes"/> writes it and <see cref="Parse"/> reads it with a
/// protobuf encoder of Nabla's own, so no native code and no generated code are involved.
/// </summary>
/// <param name="IrVersion">The ONNX IR (file format) version.</param>
/// <param name="Opsets">The operator sets the graph's nodes use.</param>
/// <param name="Graph">The graph.</param>
public sealed record OnnxModel(long IrVersion, IReadOnlyList<OnnxOpset> Opsets, OnnxGraph Graph)
{
    /// <summary>The program that wrote the file.</summary>
    public string ProducerName { get; init; } = "";

    /// <summary>Its version.</summary>
    public string ProducerVersion { get; init; } = "";

    /// <summary>String metadata (<c>metadata_props</c>), in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>The version of ONNX's own operator set (the empty or <c>ai.onnx</c> domain), or null when the file imports none.</summary>
    public long? DefaultOpset => Opsets.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version;

    /// <summary>The metadata value of <paramref name="key"/>, or null.</summary>
    public string? MetadataValue(string key) => Metadata.FirstOrDefault(m => m.Key == key).Value;

    /// <summary>The protobuf bytes of the model, as an <c>.onnx</c> file holds them.</summary>
    public byte[] ToBytes()
    {
        var w = new ProtoWriter();
        w.Int64(1, IrVersion);
        w.String(2, ProducerName);
        w.String(3, ProducerVersion);
        w.Message(7, Graph.WriteTo);
        foreach (var opset in Opsets)
            w.Message(8, o =>
            {
                o.String(1, opset.Domain);
                o.Int64(2, opset.Version);
            });
        foreach (var (key, value) in Metadata)
            w.Message(14, m =>
            {
                m.String(1, key);
                m.String(2, value);
            });
        return w.Written.ToArray();
    }

    /// <summary>Reads the ONNX model in <paramref name="bytes"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="NablaInputException">The bytes are not a well-formed ONNX model; the message names the source and the byte offset.</exception>
    public static OnnxModel Parse(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var r = new ProtoReader(bytes, source);
        long ir = 0;
        List<OnnxOpset> opsets = [];
        OnnxGraph? graph = null;
        string producer = "", producerVersion = "";
        List<KeyValuePair<string, string>> metadata = [];
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            switch (field)
            {
                case 1: ir = r.Int64(wire, "ir_version"); break;
                case 2: producer = r.String(wire, "producer_name"); break;
                case 3: producerVersion = r.String(wire, "producer_version"); break;
                case 7: graph = OnnxGraph.Read(r.Message(wire, "the graph")); break;
                case 8: opsets.Add(ReadOpset(r.Message(wire, "an opset_import"))); break;
                case 14: metadata.Add(ReadEntry(r.Message(wire, "a metadata_props entry"))); break;
                default: r.Skip(wire); break;
            }
        }
        if (graph is null)
            throw new NablaInputException($"{source}: not a valid ONNX file: it has no graph.", source);
        return new OnnxModel(ir, opsets, graph) { ProducerName = producer, ProducerVersion = producerVersion, Metadata = metadata };
    }

    /// <summary>Reads the ONNX file at <paramref name="path"/>.</summary>
    /// <exception cref="NablaInputException">The file is missing or not a well-formed ONNX model.</exception>
    public static OnnxModel Read(string path)
    {
        if (!File.Exists(path))
            throw new NablaInputException(Directory.Exists(path) ? $"{path}: is a directory; expected an ONNX file." : $"{path}: ONNX file not found.", path);
        return Parse(File.ReadAllBytes(path), path);
    }

    private static OnnxOpset ReadOpset(ProtoReader r)
    {
        string domain = "";
        long version = 0;
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            if (field == 1)
                domain = r.String(wire, "an opset's domain");
            else if (field == 2)
                version = r.Int64(wire, "an opset's version");
            else
                r.Skip(wire);
        }
        return new OnnxOpset(domain, version);
    }

    private static KeyValuePair<string, string> ReadEntry(ProtoReader r)
    {
        string key = "", value = "";
        while (!r.AtEnd)
        {
            var (field, wire) = r.Tag();
            if (field == 1)
                key = r.String(wire, "a metadata key");
            else if (field == 2)
                value = r.String(wire, "a metadata value");
            else
                r.Skip(wire);
        }
        return new(key, value);
    }
}
