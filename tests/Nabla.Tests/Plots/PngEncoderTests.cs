using System.Text;
using Nabla.Plots;

namespace Nabla.Tests.Plots;

public class PngEncoderTests
{
    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        byte[] check = Encoding.ASCII.GetBytes("123456789");

        Assert.Equal(0xCBF43926u, Crc32.Compute(check));
        Assert.Equal(0xCBF43926u, PngDecoder.BitwiseCrc(check));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(28, 28, 1)]
    [InlineData(7, 3, 3)]
    [InlineData(200, 150, 3)]
    public void Encoded_pixels_decode_back_exactly(int width, int height, int channels)
    {
        var rng = new Random(width * 1000 + height);
        var pixels = new byte[width * height * channels];
        rng.NextBytes(pixels);

        var png = PngDecoder.Decode(PngEncoder.Encode(pixels, width, height, channels));

        Assert.Equal((width, height, channels), (png.Width, png.Height, png.Channels));
        Assert.Equal(pixels, png.Pixels);
    }

    [Fact]
    public void A_digit_sized_image_is_small_enough_to_embed()
    {
        var pixels = new byte[28 * 28];
        for (int i = 0; i < pixels.Length; i++)
            pixels[i] = (byte)(Math.Abs(i % 28 - 14) < 3 ? 255 : 0);

        byte[] png = PngEncoder.Encode(pixels, 28, 28, 1);

        Assert.True(png.Length < 400, $"{png.Length} bytes");
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", PngEncoder.ToDataUri(png));
    }

    [Fact]
    public void Wrong_sizes_say_what_was_received()
    {
        var e = Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[10], 4, 4, 1));

        Assert.Contains("received 10", e.Message);
        Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[16], 4, 4, 2));
    }
}
