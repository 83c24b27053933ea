import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import type { ApiError } from '../api.ts'

/** A page's heading; focused on arrival, so keyboard and screen-reader users start at the new page. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => ref.current?.focus(), [])
  return <h1 ref={ref} tabIndex={-1}>{children}</h1>
}

/** The server's message about the whole request (fields get theirs beside them). */
export function ErrorNote({ error }: { error: string | null | undefined }) {
  if (!error) return null
  return <p class="error" role="alert">{error}</p>
}

export function Field(props: {
  label: string
  name: string
  type?: 'text' | 'password' | 'email'
  value: string
  onInput: (value: string) => void
  error?: ApiError | null
  autocomplete?: string
  required?: boolean
  hint?: string
}) {
  const id = `field-${props.name}`
  const message = props.error?.field(props.name)
  const describedBy = [message ? `${id}-error` : '', props.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-invalid={message ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {props.hint && <p class="hint" id={`${id}-hint`}>{props.hint}</p>}
      {message && <p class="field-error" id={`${id}-error`}>{props.label}: {message}</p>}
    </div>
  )
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>
}

export function MoreButton({ onMore, busy }: { onMore: () => void; busy: boolean }) {
  return <button type="button" class="more" onClick={onMore} disabled={busy}>{busy ? 'Loading…' : 'Show more'}</button>
}
