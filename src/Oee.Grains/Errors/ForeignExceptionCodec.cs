using System.Buffers;
using Orleans.Serialization;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;
using Orleans.Serialization.WireProtocol;

namespace Oee.Grains.Errors;

/// <summary>
/// The silo's last line against a provider's exception on the wire. Orleans serializes exceptions
/// of its own, of OEE and of the System/Microsoft namespaces; any other exception type that
/// reaches a response (an Npgsql error inside Orleans' storage wrapper, a grain activation that
/// failed on its database read, which no grain call filter sees) would fail the whole call with a
/// CodecNotFoundException. This codec writes such an exception as the OEE fault it stands for
/// (<see cref="FaultTranslation"/>), so the caller receives the cause, as OEE's type, instead.
/// Never read: the wire only ever holds the replacement.
/// </summary>
internal sealed class ForeignExceptionCodec(ExceptionCodec exceptions) : IGeneralizedCodec
{
    public bool IsSupportedType(Type type) =>
        typeof(Exception).IsAssignableFrom(type) && type != typeof(AggregateException) && !exceptions.IsSupportedType(type);

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, object? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (value is null)
        {
            ReferenceCodec.WriteNullReference(ref writer, fieldIdDelta);
            return;
        }

        var replacement = FaultTranslation.Replacement((Exception)value);
        writer.Session.CodecProvider.GetCodec(replacement.GetType()).WriteField(ref writer, fieldIdDelta, expectedType, replacement);
    }

    public object? ReadValue<TInput>(ref Reader<TInput> reader, Field field) =>
        throw new NotSupportedException($"{nameof(ForeignExceptionCodec)} writes OEE's fault types in place of foreign exceptions and never reads.");
}
