namespace Oee.Grains.Time;

/// <summary>
/// The clock of the engine: every OEE timestamp, timer, delay, timeout and wait reads the
/// <see cref="TimeProvider"/> registered under <see cref="ServiceKey"/> (the system clock unless a
/// host registers another). It is separate from the clock Orleans itself runs on (membership,
/// response timeouts), so that a test can drive the engine's time with a fake clock while the
/// cluster keeps real time: <c>services.AddKeyedSingleton&lt;TimeProvider&gt;(OeeClock.ServiceKey, fake)</c>
/// in the silo's services.
/// </summary>
public static class OeeClock
{
    /// <summary>The DI key of the engine's <see cref="TimeProvider"/>.</summary>
    public const string ServiceKey = "oee-clock";
}
