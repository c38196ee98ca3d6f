using System.Globalization;
using System.Numerics;
using Nabla.Layers;
using Nabla.Layers.Kinds;
using Nabla.Models;
using Nabla.Plots;
using Nabla.Tensors;

namespace Nabla.Reports;

/// <summary>
/// What a trained convolutional network looks like inside: the first convolution's filters as images, and one sample's
/// feature maps after each convolution. A convolution is an affine layer from images to images (its kind's
/// <see cref="LayerRole.Affine"/> role and image shapes), so any such kind is drawn alike.
/// </summary>
public static class NetworkFigures
{
    /// <summary>Most filters or feature maps drawn per layer.</summary>
    public const int MaxMaps = 64;

    /// <summary>
    /// The first convolution's filters, one image per output channel (per input channel too, for up to three of them),
    /// on one gray scale for the layer: mid-gray is 0, white the largest positive weight, black the most negative. Null
    /// when the network has no convolution.
    /// </summary>
    public static ImageGrid? Filters<T>(Sequential<T> model, Architecture architecture) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Convolutions(architecture).FirstOrDefault() is not { } conv)
            return null;
        var weight = model.Layers[conv.Index].Parameters.First(p => p.Role == ParameterRole.Weight);
        var (outputs, inputs) = ((int)weight.FileShape[0], (int)weight.FileShape[1]);
        var (height, width) = ((int)weight.FileShape[2], (int)weight.FileShape[3]);
        var values = weight.Value.Span;
        double extent = 0;
        foreach (var v in values)
            extent = Math.Max(extent, Math.Abs(double.CreateTruncating(v)));
        extent = extent > 0 ? extent : 1;
        int channels = inputs <= 3 ? inputs : 1;
        var grid = new ImageGrid(columns: channels == 1 ? 8 : channels * Math.Max(1, 8 / channels))
        {
            Title = string.Create(CultureInfo.InvariantCulture,
                $"Filters of layer {conv.Index} ({conv.Spec}): {Math.Min(outputs, MaxMaps)} of {outputs}, {height}×{width}{(inputs > 3 ? ", input channel 0" : "")}"),
        };
        var pixels = new double[height * width];
        for (int o = 0; o < Math.Min(outputs, MaxMaps); o++)
            for (int c = 0; c < channels; c++)
            {
                int start = (o * inputs + c) * pixels.Length;
                for (int p = 0; p < pixels.Length; p++)
                    pixels[p] = (double.CreateTruncating(values[start + p]) / extent + 1) / 2;
                grid.Add(pixels, width, height, channels == 1 ? $"{o}" : $"{o}, ch {c}");
            }
        return grid;
    }

    /// <summary>
    /// <paramref name="sample"/> (one row, as the model takes it) and its feature maps after each convolution (after the
    /// activation that follows it, if one does), each layer on its own gray scale from its smallest value (black) to its
    /// largest (white); null when the network has no convolution.
    /// </summary>
    public static Figure? FeatureMaps<T>(Sequential<T> model, Architecture architecture, ReadOnlySpan<T> sample, string sampleName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var convolutions = Convolutions(architecture).ToList();
        if (convolutions.Count == 0 || !architecture.Input.IsImage)
            return null;
        var layers = architecture.Resolve();
        var x = new Matrix<T>(1, sample.Length, sample.ToArray());
        var outputs = model.ForwardAll(x, training: false);
        var figure = new Figure(columns: 1) { Title = $"Feature maps of one sample: {sampleName}" };
        figure.Add(Maps(x, architecture.Input, "The input, as the network sees it", 4));
        foreach (var conv in convolutions)
        {
            int shown = conv.Index + 1 < layers.Count && layers[conv.Index + 1].Kind.Role == LayerRole.Activation ? conv.Index + 1 : conv.Index;
            var layer = layers[shown];
            figure.Add(Maps(outputs[shown], layer.Output, $"After layer {shown} ({layer.Spec}): {Math.Min(layer.Output.Channels, MaxMaps)} of {layer.Output.Channels} maps, {layer.Output.Height}×{layer.Output.Width}", 16));
        }
        return figure;
    }

    /// <summary>The convolutions: affine layers from images to images.</summary>
    private static IEnumerable<ResolvedLayer> Convolutions(Architecture architecture) =>
        architecture.Resolve().Where(l => l.Kind.Role == LayerRole.Affine && l.Input.IsImage && l.Output.IsImage);

    private static ImageGrid Maps<T>(Matrix<T> values, SampleShape shape, string title, int columns) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var span = values.Span;
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in span)
        {
            double d = double.CreateTruncating(v);
            lo = Math.Min(lo, d);
            hi = Math.Max(hi, d);
        }
        double range = hi > lo ? hi - lo : 1;
        int size = shape.Height * shape.Width;
        var grid = new ImageGrid(columns) { Title = title, ImageSize = Math.Clamp(shape.Height * 2, 28, 84) };
        var pixels = new double[size];
        for (int c = 0; c < Math.Min(shape.Channels, MaxMaps); c++)
        {
            for (int p = 0; p < size; p++)
                pixels[p] = (double.CreateTruncating(span[c * size + p]) - lo) / range;
            grid.Add(pixels, shape.Width, shape.Height, shape.Channels == 1 ? "" : $"{c}");
        }
        return grid;
    }
}
