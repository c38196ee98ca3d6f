using Nabla.Serialization;

namespace Nabla.Onnx.Tests;

/// <summary>
/// The ONNX project's own checker accepts every exported file: <c>onnx.checker.check_model(full_check=True)</c> and
/// strict shape inference (python3-onnx 1.12), which also infers each output's shape as <c>[batch, outputs]</c>.
/// </summary>
public class OnnxCheckerTests
{
    private const string Check = """
        import sys, onnx
        model = onnx.load(sys.argv[1])
        onnx.checker.check_model(model, full_check=True)
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True, check_type=True)
        print("ir", model.ir_version, "opset", model.opset_import[0].version)
        for output in inferred.graph.output:
            dims = [d.dim_param or str(d.dim_value) for d in output.type.tensor_type.shape.dim]
            print(output.name, ",".join(dims))
        """;

    [PythonOnnxTheory]
    [MemberData(nameof(Cases.Iris), MemberType = typeof(Cases))]
    public void TheOnnxCheckerAcceptsTheExportOnIris(string data, string inputShape, string network, string loss, string scale) =>
        CheckerAccepts(data, inputShape, network, loss, scale);

    [PythonOnnxTheory(NeedsFashionMnist = true)]
    [MemberData(nameof(Cases.FashionMnist), MemberType = typeof(Cases))]
    public void TheOnnxCheckerAcceptsTheExportOnFashionMnist(string data, string inputShape, string network, string loss, string scale) =>
        CheckerAccepts(data, inputShape, network, loss, scale);

    private static void CheckerAccepts(string data, string inputShape, string network, string loss, string scale)
    {
        using var exported = new ExportCase(data, inputShape, network, loss, scale);

        var lines = PythonOnnx.Run(Check, exported.OnnxPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal($"ir {OnnxExport.IrVersion} opset {OnnxExport.Opset}", lines[0]);
        Assert.Equal(OnnxExport.OutputNames(exported.Architecture).Select(n => $"{n} {OnnxExport.BatchDimension},{exported.Architecture.Outputs}"), lines.Skip(1));
    }
}
