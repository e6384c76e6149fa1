using System.CommandLine;
using Qtz.Cli.Infrastructure;
using Qtz.Firmware;
using Qtz.Firmware.Elf;
using Qtz.Firmware.Images;
using Qtz.Firmware.Verification;
using Qtz.Firmware.Mdt;

namespace Qtz.Cli.Commands;

/// <summary><c>qtz fw info FILE</c>: the ELF, program headers, hash segment, metadata and signers of an image.</summary>
internal static class FwInfoCommand
{
    internal static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Image: .mbn, or .mdt with its .bNN beside it" };
        var json = JsonOutput.CreateOption();
        var command = new Command("info", "Show an image's ELF header, program headers with decoded Qualcomm flags, hash segment and signers");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            using var image = FirmwareImage.Open(parse.GetValue(file)!);
            var view = Build(image, FirmwareInspector.Describe(image));
            if (parse.GetValue(json))
                JsonOutput.Write(Console.Out, view);
            else
                Render(Console.Out, view);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static InfoView Build(FirmwareImage image, ImageDescription d)
    {
        var h = image.Header;
        string linux;
        try
        {
            MdtRules.CheckHeader(image.Main.ReadBytes(0, (int)Math.Min(image.Main.Length, (long)h.PhdrTableEnd)), image.Main.Length);
            linux = h.Class == ElfClass.Elf32 ? "accepted" : "rejected: Linux mdt_loader reads ELF32 only";
        }
        catch (FirmwareFormatException e)
        {
            linux = "rejected: " + e.Message;
        }

        var seg = d.HashSegment;
        var segView = seg is null ? null : new HashSegmentView(d.HashSegmentIndex, seg.Version, seg.TableAlgorithm.Name!, seg.DigestLength, seg.Header.ImageId,
            seg.Header.HashSize, seg.Header.TotalSize, d.SoftwareId is { } sw ? $"0x{sw:X}" : null, d.SoftwareId is { } n ? SoftwareIds.NameOf(n) : null, d.AntiRollbackVersion,
            new[] { ("QTI", seg.QtiMetadata), ("OEM", seg.OemMetadata) }.Where(m => m.Item2 is not null).Select(m => FwViews.Metadata(m.Item1, m.Item2!)).ToList());
        return new InfoView(image.Name, image.Form.ToString(), h.Class.ToString(), $"{h.Machine}", $"0x{h.Entry:X}", h.PhNum, linux, FwViews.Signing(d.Signing),
            image.ProgramHeaders.Select((p, i) => FwViews.Phdr(i, p, d.HashSegment is null ? -1 : d.HashSegmentIndex)).ToList(), d.Warnings.Select(w => w.Message).ToList(),
            segView, d.Signers.Select(FwViews.Signer).ToList());
    }

    private static void Render(TextWriter o, InfoView v)
    {
        o.WriteLine($"{v.File}: {v.Class}, machine {v.Machine}, entry {v.Entry}, {v.ProgramHeaderCount} program headers, {v.Form.ToLowerInvariant()} image");
        o.WriteLine($"Linux mdt_loader header check: {v.LinuxHeaderCheck}");
        o.WriteLine(" idx type         flags       qcom type  access        offset      paddr       filesz     memsz      notes");
        foreach (var p in v.ProgramHeaders)
        {
            var notes = string.Join(' ', new[] { p.Loadable ? "loadable" : null, p.Relocatable ? "relocatable" : null, p.Paged ? "paged" : null, p.Hashed ? "hashed" : null }.Where(n => n is not null));
            o.WriteLine($" {p.Index,3} {p.Type,-12} {p.Flags} {p.SegmentType,-10} {p.Access,-13} {p.Offset,-11} {p.PhysicalAddress,-11} {p.FileSize,-10} {p.MemorySize,-10} {notes}");
        }

        foreach (var warning in v.Warnings)
            o.WriteLine($"warning: {warning} (Linux loads it)");
        if (v.HashSegment is not { } s)
        {
            o.WriteLine("no hash segment: unsigned image");
            return;
        }

        var name = s.SoftwareIdName is null ? "" : $" ({s.SoftwareIdName})";
        o.WriteLine($"hash segment: phdr {s.Index}, version {s.Version}, {s.Algorithm} ({s.DigestLength}-byte entries), image_id {s.ImageId}, SW_ID {s.SoftwareId ?? "-"}{name}, anti-rollback {s.AntiRollbackVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
        if (v.Signers.Count == 0)
            o.WriteLine("hash-only: no signature");
        foreach (var m in s.Metadata)
            o.WriteLine($"  {m.Block} metadata ({m.Length} B, {m.Major}.{m.Minor}): sw_id {m.SoftwareId ?? "-"} hw_id {m.HardwareId} oem_id {m.OemId} model_id {m.ModelId} flags {m.Flags} root_cert_index {m.RootCertIndex} anti_rollback {m.AntiRollbackVersion}");
        foreach (var signer in v.Signers)
        {
            o.WriteLine($"signer {signer.Signer}: {signer.Scheme}{(signer.SoftwareId is null ? "" : $", leaf SW_ID {signer.SoftwareId} HW_ID {signer.HardwareId}")}");
            foreach (var c in signer.Certificates)
                o.WriteLine($"  {c.Subject}  [{c.Key}, {c.SignatureAlgorithm}]");
            o.WriteLine($"  root {signer.RootClass.ToLowerInvariant()} ({signer.RootClassReason})");
            o.WriteLine($"  root sha384 {signer.RootSha384}");
            o.WriteLine($"  root sha256 {signer.RootSha256}");
        }
    }
}
