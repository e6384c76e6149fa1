namespace Qtz.Firmware.Images;

/// <summary>How an image is stored.</summary>
public enum ImageForm
{
    /// <summary>One complete ELF (.mbn): every segment at its p_offset.</summary>
    Single,

    /// <summary>.mdt (ELF header + phdrs + hash segment) plus one .bNN file per segment.</summary>
    Split,
}
