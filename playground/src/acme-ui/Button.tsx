import type { ButtonHTMLAttributes } from 'react';
import { useComponentTracking } from 'telemetry-kit/react';
import { library } from './meta';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'ghost' | 'danger';
  size?: 'sm' | 'md';
}

/** A design-system button: one line of telemetry counts its mounts per variant and size. */
export function Button({
  variant = 'secondary',
  size = 'md',
  className = '',
  ...rest
}: ButtonProps) {
  useComponentTracking('Button', { variant, size, disabled: rest.disabled === true }, library);
  return (
    <button
      type="button"
      className={`acme-button acme-button--${variant} acme-button--${size} ${className}`}
      {...rest}
    />
  );
}
