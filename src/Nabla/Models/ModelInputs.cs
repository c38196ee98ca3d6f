using System.Numerics;
using Nabla.Data;
using Nabla.Tensors;

namespace Nabla.Models;

/// <summary>Turns raw features into what a trained model's first layer expects.</summary>
public static class ModelInputs
{
    /// <summary>Checks the feature count and returns the features scaled as the model was trained (a copy; <paramref name="raw"/> is left as it is).</summary>
    /// <exception cref="NablaInputException">The data has a different number of features than the model takes.</exception>
    public static Matrix<T> Features<T>(Matrix<T> raw, Architecture architecture, string source) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (raw.Cols != architecture.Inputs)
            throw new NablaInputException($"{source}: the data has {raw.Cols} features per sample; the model expects {architecture.Inputs}.", source);
        return architecture.Scaling is { } scaling ? scaling.Apply(raw.Clone()) : raw;
    }

    /// <summary><paramref name="data"/> with its features checked and scaled for the model (the same dataset when there is nothing to scale).</summary>
    /// <exception cref="NablaInputException">The data has a different number of features than the model takes.</exception>
    public static Dataset<T> Prepare<T>(Dataset<T> data, Architecture architecture) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var features = Features(data.Features, architecture, data.Name);
        if (ReferenceEquals(features, data.Features))
            return data;
        return data.Labels is { } labels
            ? new Dataset<T>(features, labels, data.ClassNames!, data.Name) { FeatureNames = data.FeatureNames, SampleShape = data.SampleShape }
            : new Dataset<T>(features, data.Targets, data.Name) { FeatureNames = data.FeatureNames, SampleShape = data.SampleShape };
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
