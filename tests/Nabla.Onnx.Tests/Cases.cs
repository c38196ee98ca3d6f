namespace Nabla.Onnx.Tests;

/// <summary>
/// The networks every ONNX test runs on: data, per-sample input shape, network (as <c>--network</c> spells it),
/// loss and input scaling. A new layer kind with an ONNX form is one more line here.
/// </summary>
public static class Cases
{
    /// <summary>On iris (built in): every activation, dropout, each loss and output form, each scaling.</summary>
    public static TheoryData<string, string, string, string, string> Iris { get; } = new()
    {
        { "iris", "4", "Linear(16), ReLU, Linear(3)", "cross-entropy", "standard" },
        { "iris", "4", "Linear(8), Tanh, Linear(8), Sigmoid, Linear(3)", "mse+cross-entropy", "minmax" },
        { "iris", "4", "Linear(16), LeakyReLU(0.1), Dropout(0.2), Identity, Linear(3)", "cross-entropy", "none" },
        { "iris", "4", "Linear(8), ReLU, Linear(3)", "binary-cross-entropy", "standard" },
        { "iris", "4", "Linear(8), Tanh, Linear(3), Softmax", "mse", "standard" },
        { "iris-regression", "3", "Linear(8), Tanh, Linear(1)", "mse", "standard" },
    };

    /// <summary>On Fashion-MNIST (Debian's dataset-fashion-mnist): 784 raw pixels per row.</summary>
    public static TheoryData<string, string, string, string, string> FashionMnist { get; } = new()
    {
        { "fashion-mnist", "784", "Linear(32), ReLU, Linear(10)", "cross-entropy", "none" },
        { "fashion-mnist", "1,28,28", "Conv2d(8, 3, padding=1), ReLU, BatchNorm2d, MaxPool2d(2), Conv2d(8, (3, 5), stride=2, padding=(1, 2)), ELU(0.5), AvgPool2d(3, stride=2, padding=1), Flatten, Linear(32), BatchNorm1d, Tanh, Linear(10)", "cross-entropy", "minmax" },
    };
}
