using Nabla.Playground.Settings;
using Nabla.Playground.Web;

namespace Nabla.Playground.Tests.Settings;

public sealed class SettingsTextTests
{
    [Fact]
    public void The_issues_example_link_parses_to_the_spiral_with_two_tanh_layers_of_eight()
    {
        var s = SettingsText.Parse("#dataset=spiral&layers=8,8&activation=tanh&learningRate=0.03", hasUpload: false);
        Assert.Equal("spiral", s.Dataset);
        Assert.Equal([8, 8], s.Layers);
        Assert.Equal("tanh", s.Activation);
        Assert.Equal(0.03, s.LearningRate);
        Assert.Equal(300, s.Samples);
        Assert.Equal(0.1, s.Noise);
    }

    [Theory]
    [InlineData("dataset=moons&samples=250&noise=0.35&seed=42&layers=3&activation=relu&loss=mse&init=he&optimizer=sgd&learningRate=1E-05&momentum=0.9&weightDecay=0.003&dropout=0.2&batchSize=1&scale=minmax")]
    [InlineData("dataset=gaussians&samples=1000&seed=18446744073709551615&layers=&activation=sigmoid&loss=mse%2Bcross-entropy&init=lecun&optimizer=adam&learningRate=10&weightDecay=0&dropout=0&batchSize=full&scale=standard")]
    [InlineData("dataset=xor&samples=200&noise=0.1&seed=1&layers=16&activation=relu&loss=cross-entropy&init=xavier-uniform-bias&optimizer=adam&learningRate=0.001&weightDecay=0&dropout=0&batchSize=full&scale=none")]
    public void Formatting_writes_every_key_and_reads_back_the_same(string text)
    {
        var settings = SettingsText.Parse(text, hasUpload: false);
        Assert.Equal(text, SettingsText.Format(settings));
        Assert.Equal(settings with { Layers = [] }, SettingsText.Parse(SettingsText.Format(settings), false) with { Layers = [] });
        Assert.Equal(settings.Layers, SettingsText.Parse(SettingsText.Format(settings), false).Layers);
    }

    [Fact]
    public void An_upload_has_a_test_share_instead_of_samples_and_noise()
    {
        var settings = SettingsText.Parse("dataset=upload&testFraction=0.3", hasUpload: true);
        Assert.True(settings.IsUpload);
        Assert.StartsWith("dataset=upload&testFraction=0.3&seed=0&", SettingsText.Format(settings));
    }

    [Theory]
    [InlineData("learningRate=0", "learningRate: expected a number in (0, 10]; received '0'.")]
    [InlineData("momentum=1", "momentum: expected a number in [0, 1); received '1'.")]
    [InlineData("layers=8,0", "layers: expected sizes from 1 to 32 units, separated by commas (such as 8,8); received '0'.")]
    [InlineData("layers=8,33", "received '33'.")]
    [InlineData("testFraction=0.9", "testFraction: expected a fraction in [0.05, 0.5]; received '0.9'.")]
    [InlineData("samples=19", "samples: expected a whole number from 20 to 5,000; received '19'.")]
    [InlineData("samples=1e3", "received '1e3'.")]
    [InlineData("seed=%ZZ", "seed: expected a whole number from 0 to 18446744073709551615; received '%ZZ'.")]
    public void Out_of_range_values_name_the_key_the_range_and_the_value(string text, string message)
    {
        var e = Assert.Throws<PlaygroundRequestException>(() => SettingsText.Parse(text, hasUpload: false));
        Assert.Contains(message, e.Message);
        Assert.Equal(400, e.StatusCode);
    }

    [Fact]
    public void A_long_hostile_value_is_echoed_shortened()
    {
        var e = Assert.Throws<PlaygroundRequestException>(() => SettingsText.Parse("activation=" + new string('x', 1500), hasUpload: false));
        Assert.True(e.Message.Length < 200, e.Message);
        Assert.EndsWith("…'.", e.Message);
    }
}
