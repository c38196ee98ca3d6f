namespace Nabla.Onnx;

/// <summary>An operator set a model uses (<c>OperatorSetIdProto</c>): its domain (empty for ONNX's own) and version.</summary>
/// <param name="Domain">The domain; empty for the default <c>ai.onnx</c> operators.</param>
/// <param name="Version">The operator set version, which fixes each operator's meaning.</param>
public sealed record OnnxOpset(string Domain, long Version);
