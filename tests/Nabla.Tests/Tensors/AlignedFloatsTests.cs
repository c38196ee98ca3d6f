using System.Runtime.CompilerServices;
using Nabla.Tensors;

namespace Nabla.Tests.Tensors;

public class AlignedFloatsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(784 * 256)]
    public unsafe void TheFloatsAreZeroedAndStartOnACacheLine(int length)
    {
        // Several allocations, so a managed array that happens to be aligned does not decide the test.
        for (int i = 0; i < 8; i++)
        {
            var floats = new AlignedFloats(length);
            Assert.Equal(length, floats.Length);
            Assert.Equal(length, floats.Span.Length);
            Assert.Equal(0, (long)Unsafe.AsPointer(ref floats.Span[0]) % 64);
            Assert.True(floats.Span.IndexOfAnyExcept(0f) < 0);
        }
    }
}
