namespace EdgeRuntime.Board.Audio;

/// <summary>Sample encodings read and written: integer PCM (16, 24, 32 bit) and IEEE float32.</summary>
public enum WavSampleFormat
{
    Pcm16,
    Pcm24,
    Pcm32,
    Float32,
}
