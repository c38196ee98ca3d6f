namespace Nabla.Onnx;

/// <summary>Which value an ONNX node attribute holds (<c>AttributeProto.AttributeType</c>).</summary>
public enum OnnxAttributeType
{
    /// <summary>Not set, or a kind Nabla does not read.</summary>
    Undefined = 0,

    /// <summary>One float (<c>alpha</c>, <c>epsilon</c>).</summary>
    Float = 1,

    /// <summary>One integer (<c>axis</c>, <c>transB</c>).</summary>
    Int = 2,

    /// <summary>A string.</summary>
    String = 3,

    /// <summary>A tensor (<c>Constant</c>'s <c>value</c>).</summary>
    Tensor = 4,

    /// <summary>A subgraph (<c>If</c>, <c>Loop</c>); its contents are skipped unread.</summary>
    Graph = 5,

    /// <summary>A list of floats.</summary>
    Floats = 6,

    /// <summary>A list of integers (<c>kernel_shape</c>, <c>pads</c>).</summary>
    Ints = 7,

    /// <summary>A list of strings.</summary>
    Strings = 8,

    /// <summary>A list of tensors.</summary>
    Tensors = 9,

    /// <summary>A list of subgraphs.</summary>
    Graphs = 10,
}
