namespace Nabla.Layers.Kinds;

/// <summary>A tensor a layer of some kind carries, as model files store it.</summary>
/// <param name="Name">Its name within the layer, as PyTorch names it (<c>weight</c>, <c>running_mean</c>).</param>
/// <param name="Shape">Its shape in files and in PyTorch (<c>[out, in, kh, kw]</c>).</param>
/// <param name="Role">Trainable, a buffer, or a counter.</param>
public sealed record TensorSpec(string Name, long[] Shape, TensorRole Role = TensorRole.Parameter);
