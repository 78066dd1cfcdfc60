import type { ReactNode } from 'react';
import { useComponentTracking } from 'telemetry-kit/react';
import { library } from './meta';

export interface CardProps {
  title: string;
  elevated?: boolean;
  children?: ReactNode;
}

/** Only the primitive `elevated` flag is counted: titles and children never leave the page. */
export function Card({ title, elevated = false, children }: CardProps) {
  useComponentTracking('Card', { elevated }, library);
  return (
    <section className={`acme-card${elevated ? ' acme-card--elevated' : ''}`}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}
