import { useEffect, useState } from 'react';

/** The clinic's logo, served by the app; nothing at all when the clinic has none (or the code is unknown). */
export const ClinicLogo = ({ code, version, height = 56 }: { code: string; version?: string | number; height?: number }) => {
  const [isMissing, setIsMissing] = useState(false);
  const trimmed = code.trim().toLowerCase();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new code or version is a new image to try.
  useEffect(() => setIsMissing(false), [trimmed, version]);
  if (!trimmed || isMissing) return null;
  const src = `/api/clinics/${encodeURIComponent(trimmed)}/logo${version === undefined ? '' : `?v=${version}`}`;
  return (
    <div style={{ textAlign: 'center', marginBottom: 8 }}>
      <img src={src} alt="" style={{ maxHeight: height, maxWidth: '100%' }} onError={() => setIsMissing(true)} />
    </div>
  );
};
