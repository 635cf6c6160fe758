import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

interface Note {
  id: number;
  text: string;
  kind: 'info' | 'ok' | 'bad';
}

const Ctx = createContext<(text: string, kind?: Note['kind']) => void>(() => {});

/** Short notices (a job finished, a key was created) in a polite live region, gone after a while. */
export function Notifications({ children }: { children: ReactNode }) {
  const [notes, setNotes] = useState<Note[]>([]);
  const notify = useCallback((text: string, kind: Note['kind'] = 'info') => {
    const id = Date.now() + Math.random();
    setNotes((n) => [...n.slice(-4), { id, text, kind }]);
    setTimeout(() => setNotes((n) => n.filter((x) => x.id !== id)), 6000);
  }, []);
  return (
    <Ctx.Provider value={notify}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {notes.map((n) => (
          <div key={n.id} className={`toast ${n.kind}`}>
            {n.text}
          </div>
        ))}
      </div>
    </Ctx.Provider>
  );
}

export const useNotify = () => useContext(Ctx);
