using System.Formats.Asn1;
using System.Text;

namespace Qtz.Firmware.Certificates;

/// <summary>An X.501 name as (OID, text) pairs in order; PrintableString, UTF8, IA5, BMP and T61 values are read.</summary>
public sealed class DistinguishedName
{
    private DistinguishedName(IReadOnlyList<(string Oid, string Value)> attributes, byte[] der)
    {
        Attributes = attributes;
        Der = der;
    }

    public IReadOnlyList<(string Oid, string Value)> Attributes { get; }

    /// <summary>The Name as encoded in the certificate (what an issuer field must repeat byte for byte).</summary>
    public byte[] Der { get; }

    public string? CommonName => Attributes.FirstOrDefault(a => a.Oid == Oids.CommonName).Value;

    public IEnumerable<string> OrganizationalUnits => Attributes.Where(a => a.Oid == Oids.OrganizationalUnit).Select(a => a.Value);

    internal static DistinguishedName Read(AsnReader reader)
    {
        var list = new List<(string, string)>();
        var der = reader.PeekEncodedValue().ToArray();
        var name = reader.ReadSequence();
        while (name.HasData)
        {
            var set = name.ReadSetOf();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                list.Add((oid, ReadText(attribute)));
            }
        }

        return new DistinguishedName(list, der);
    }

    private static string ReadText(AsnReader reader)
    {
        var tag = reader.PeekTag();
        if (tag.TagClass == TagClass.Universal)
        {
            switch ((UniversalTagNumber)tag.TagValue)
            {
                case UniversalTagNumber.PrintableString or UniversalTagNumber.UTF8String or UniversalTagNumber.IA5String
                    or UniversalTagNumber.BMPString or UniversalTagNumber.VisibleString:
                    return reader.ReadCharacterString((UniversalTagNumber)tag.TagValue);
                case UniversalTagNumber.T61String:
                    var encoded = reader.ReadEncodedValue().Span;
                    AsnDecoder.ReadEncodedValue(encoded, AsnEncodingRules.DER, out var start, out var length, out _);
                    return Encoding.Latin1.GetString(encoded.Slice(start, length));
            }
        }

        return Convert.ToHexString(reader.ReadEncodedValue().Span);
    }

    public override string ToString() => string.Join(", ", Attributes.Select(a => $"{ShortName(a.Oid)}={a.Value}"));

    private static string ShortName(string oid) => oid switch
    {
        Oids.CommonName => "CN",
        Oids.OrganizationalUnit => "OU",
        Oids.Organization => "O",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        _ => oid,
    };
}
