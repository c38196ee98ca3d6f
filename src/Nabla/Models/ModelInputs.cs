using System.Numerics;
using System.Numerics.Tensors;
using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>Turns raw features into what a trained model's first layer expects (and a regression model's scaled outputs back into the data's units).</summary>
public static class ModelInputs
{
    /// <summary>
    /// Checks the feature count and returns raw features as the model was trained on them: divided by its
    /// <see cref="Architecture.PixelScale"/>, then scaled (a copy; <paramref name="raw"/> is left as it is).
    /// </summary>
    /// <exception cref="NablaInputException">The data has a different number of features than the model takes.</exception>
    public static Matrix<T> Features<T>(Matrix<T> raw, Architecture architecture, string source) where T : unmanaged, IFloatingPointIeee754<T> =>
        Features(raw, null, architecture, source);

    /// <summary>
    /// <paramref name="data"/> with its features checked and turned into what the model takes (the same dataset when
    /// nothing changes): features an image loader already divided by the model's pixel scale are not divided again.
    /// </summary>
    /// <exception cref="NablaInputException">The data has a different number of features than the model takes.</exception>
    public static Dataset<T> Prepare<T>(Dataset<T> data, Architecture architecture) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var features = Features(data.Features, data.PixelScale, architecture, data.Name);
        var prepared = ReferenceEquals(features, data.Features) ? data : data.WithFeatures(features);
        // A regression model trained on scaled targets is evaluated against them scaled alike.
        if (architecture.TargetScaling is { } targets && !data.IsClassification && data.TargetCount == targets.FeatureCount)
            prepared = prepared.WithTargets(targets.Apply(data.Targets.Clone()));
        return prepared;
    }

    /// <summary>A regression model's outputs in the data's units: unscaled in place when it was trained on scaled targets; returns <paramref name="outputs"/>.</summary>
    public static Matrix<T> Unscale<T>(Matrix<T> outputs, Architecture architecture) where T : unmanaged, IFloatingPointIeee754<T> =>
        architecture.TargetScaling is { } targets ? targets.Invert(outputs) : outputs;

    /// <summary>
    /// The features the model takes from <paramref name="features"/>, which are raw values divided by
    /// <paramref name="divided"/> (null: raw): rescaled to the model's pixel scale when it has one and that differs,
    /// then scaled. A model without a pixel scale (older files among them) takes the features as they are.
    /// </summary>
    private static Matrix<T> Features<T>(Matrix<T> features, double? divided, Architecture architecture, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (features.Cols != architecture.Inputs)
            throw new NablaInputException($"{source}: the data has {features.Cols} features per sample; the model expects {architecture.Inputs}.", source);
        var result = features;
        if (architecture.PixelScale is { } want && (divided ?? 1) is var have && have != want)
        {
            result = features.Clone();
            var span = result.Span;
            // Raw pixels divided exactly as the image loader divides them, so both give the same bits.
            if (have != 1)
                TensorPrimitives.Multiply(span, T.CreateChecked(have), span);
            TensorPrimitives.Divide(span, T.CreateChecked(want), span);
        }
        if (architecture.Scaling is { } scaling)
            result = scaling.Apply(ReferenceEquals(result, features) ? features.Clone() : result);
        return result;
    }

    /// <summary>Checks that the data's targets fit the model: labels for a classifier, as many columns as outputs.</summary>
    /// <exception cref="NablaInputException">They do not; the message says what the model expects and what the data has.</exception>
    public static void CheckTargets<T>(Dataset<T> data, Architecture architecture) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (architecture.IsClassifier != data.IsClassification)
            throw new NablaInputException(
                $"{data.Name}: the model is a {(architecture.IsClassifier ? "classifier" : "regression model")} but the data has {(data.IsClassification ? "class labels" : "numeric targets")}.", data.Name);
        if (data.TargetCount != architecture.Outputs)
            throw new NablaInputException($"{data.Name}: the data has {data.TargetCount} target columns; the model has {architecture.Outputs} outputs.", data.Name);
    }
}
