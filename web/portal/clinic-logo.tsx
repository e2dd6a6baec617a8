import { useState } from 'react';

/** The clinic's logo above the portal's pages, served by the app; nothing when the clinic has none. */
export const PortalClinicLogo = ({ clinicCode }: { clinicCode: string }) => {
  const [isMissing, setIsMissing] = useState(false);
  if (!clinicCode || isMissing) return null;
  return (
    <div style={{ textAlign: 'center', paddingTop: 12 }}>
      <img
        src={`/api/clinics/${encodeURIComponent(clinicCode.toLowerCase())}/logo`}
        alt=""
        style={{ maxHeight: 48, maxWidth: '60%' }}
        onError={() => setIsMissing(true)}
      />
    </div>
  );
};
